import BertSentCore
import Foundation

extension ReviewDataset {
    /// Writes the examples as CSV with a `textColumn,labelColumn` header, quoting fields that need
    /// it, in a form `load(csv:)` and pandas read back unchanged. Missing parent folders are created.
    /// The file appears complete or not at all: it is written beside the target and renamed into place.
    /// - Throws: `FileError.unwritable` naming the file when it cannot be written.
    public func write(csv url: URL, textColumn: String = "review", labelColumn: String = "sentiment") throws {
        let data: Data
        do {
            data = try CSVTable.encode([[textColumn, labelColumn]] + examples.map { [$0.text, $0.label] })
        } catch DatasetError.encodingFailed(nil, let reason) {
            throw DatasetError.encodingFailed(path: url.path, reason: reason)
        }
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw FileError.unwritable(path: url.path, what: "the file", reason: FileError.reason(error))
        }
    }
}
