import BertSentCore
import BertSentFormats
import BertSentText
import Foundation

/// A teacher's logits on disk, so that each text goes through the teacher once however many runs,
/// epochs or resumes use it. One file per teacher and precision, named by the teacher weights' SHA-256:
/// a changed teacher is a different file. Within it, each entry is keyed by the SHA-256 of the text's
/// token ids, which are the text after the preprocessing (cleaning, truncation, length): the same text
/// prepared differently is a different entry.
package struct TeacherLogitsCache {
    /// The cache file.
    package let url: URL
    private let teacherDigest: String
    private let precision: Precision
    private var entries: [String: [Float]]
    private var changed = false

    private struct Contents: Codable {
        var teacher: String
        var precision: Precision
        var logits: [String: [Float]]
    }

    /// Opens (or starts) the cache of the teacher whose weights have `teacherDigest`, run in `precision`,
    /// inside `directory`. An unreadable or foreign file is started afresh (it is only a cache).
    package init(directory: URL, teacherDigest: String, precision: Precision) {
        url = directory.appendingPathComponent("\(teacherDigest)-\(precision.rawValue).json")
        if let data = try? Data(contentsOf: url), let contents = try? JSONDecoder().decode(Contents.self, from: data),
            contents.teacher == teacherDigest, contents.precision == precision
        {
            entries = contents.logits
        } else {
            entries = [:]
        }
        self.teacherDigest = teacherDigest
        self.precision = precision
    }

    /// The key of one prepared text: its token ids' digest.
    package static func key(_ encoding: Encoding) -> String {
        SHA256Digest.hex(encoding.ids.withUnsafeBytes { Data($0) })
    }

    package subscript(_ key: String) -> [Float]? {
        get { entries[key] }
        set {
            entries[key] = newValue
            changed = true
        }
    }

    /// Writes the cache if it gained entries: aside, then renamed into place.
    package mutating func save() throws {
        guard changed else { return }
        let contents = Contents(teacher: teacherDigest, precision: precision, logits: entries)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try JSONEncoder().encode(contents).write(to: url, options: .atomic)
        } catch {
            throw FileError.unwritable(
                path: url.path, what: "the teacher's logits cache", reason: FileError.reason(error))
        }
        changed = false
    }
}
