import BertSent
import Foundation

/// Progress of a long prediction on standard error, at most every 5 s: rows done, the share of the input
/// read, rows per second and the time left, estimated from the bytes still to read.
final class RowProgress {
    private let start = Date()
    private var lastShown = Date()

    func update(rows: Int, reader: TextFileReader?) {
        let now = Date()
        guard now.timeIntervalSince(lastShown) >= 5 else { return }
        lastShown = now
        let elapsed = now.timeIntervalSince(start)
        var line = "predict: \(rows.formatted()) rows, \(Int(Double(rows) / elapsed).formatted()) rows/s"
        if let reader, let total = reader.byteCount, total > 0, reader.bytesRead > 0 {
            let done = Double(reader.bytesRead) / Double(total)
            line += String(
                format: ", %.0f%% read, about %@ left", done * 100, ProgressPrinter.duration(elapsed * (1 / done - 1)))
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    func finish(rows: Int, to path: String) {
        let elapsed = Date().timeIntervalSince(start)
        FileHandle.standardError.write(
            Data(
                "predict: \(rows.formatted()) rows in \(ProgressPrinter.duration(elapsed)) → \(path)\n".utf8))
    }
}
