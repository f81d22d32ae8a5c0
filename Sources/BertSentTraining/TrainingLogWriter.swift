import BertSentCore
import BertSentFormats
import Foundation

/// Appends log entries to `log.jsonl`, one flushed line each, so a crash loses at most the line being
/// written. On resume the file is rewritten from the checkpoint's history first, dropping entries of
/// steps that will be run again.
final class TrainingLogWriter {
    let url: URL
    private let handle: FileHandle

    init(url: URL, history: [TrainingLogEntry]) throws {
        self.url = url
        let lines = try history.map { try $0.jsonLine() + "\n" }.joined()
        do {
            try Data(lines.utf8).write(to: url, options: .atomic)
            handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
        } catch {
            throw FileError.unwritable(path: url.path, what: "the training log", reason: FileError.reason(error))
        }
    }

    deinit { try? handle.close() }

    func append(_ entry: TrainingLogEntry) throws {
        do { try handle.write(contentsOf: Data((try entry.jsonLine() + "\n").utf8)) } catch {
            throw FileError.unwritable(path: url.path, what: "the training log", reason: FileError.reason(error))
        }
    }
}
