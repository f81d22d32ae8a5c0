import BertSentCore
import BertSentFormats
import Foundation

/// A file of a checkpoint as it was written: `trainer_state.json` lists each of the folder's other files
/// with its size and sha256, so a truncated or corrupted checkpoint is refused by name on resume.
public struct CheckpointFile: Sendable, Equatable, Codable {
    /// The file's size in bytes.
    public var size: Int64
    /// The sha256 of its contents, in lowercase hex.
    public var sha256: String

    /// The record of every regular file in `folder` except `trainer_state.json`, by name.
    static func records(in folder: URL) throws -> [String: CheckpointFile] {
        var records: [String: CheckpointFile] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name != TrainerState.fileName
        {
            let url = folder.appendingPathComponent(name)
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            records[name] = CheckpointFile(
                size: (attributes[.size] as? NSNumber)?.int64Value ?? 0,
                sha256: try SHA256Digest.hex(fileAt: url, what: "the checkpoint file"))
        }
        return records
    }

    /// Checks the files of the checkpoint `folder` against `records`: each present, of its size and digest.
    static func verify(_ records: [String: CheckpointFile], in folder: URL) throws {
        for (name, record) in records.sorted(by: { $0.key < $1.key }) {
            let url = folder.appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else {
                throw TrainingError.corruptCheckpoint(path: folder.path, file: name, reason: "it is missing")
            }
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            guard size == record.size else {
                throw TrainingError.corruptCheckpoint(
                    path: folder.path, file: name, reason: "\(size) bytes, but \(record.size) were written")
            }
            guard try SHA256Digest.hex(fileAt: url, what: "the checkpoint file") == record.sha256 else {
                throw TrainingError.corruptCheckpoint(
                    path: folder.path, file: name, reason: "its sha256 differs from the one written")
            }
        }
    }
}
