import CSV
import Foundation

extension ReviewDataset {
    /// Writes the examples as CSV with a `textColumn,labelColumn` header, quoting fields that need
    /// it, in a form `load(csv:)` and pandas read back unchanged. The file appears complete or not at
    /// all: it is written beside the target and renamed into place.
    /// - Throws: `BertSentError` naming the file when it cannot be written.
    public func write(csv url: URL, textColumn: String = "review", labelColumn: String = "sentiment") throws {
        // An in-memory stream: CSVWriter writes a byte at a time, which a file stream would turn into
        // a system call per byte.
        let stream = OutputStream.toMemory()
        do {
            let writer = try CSVWriter(stream: stream)
            try writer.write(row: [textColumn, labelColumn])
            for example in examples { try writer.write(row: [example.text, example.label]) }
        } catch {
            throw BertSentError("cannot encode the CSV: \(error)", file: url.path)
        }
        guard var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw BertSentError("cannot encode the CSV", file: url.path)
        }
        data.append(UInt8(ascii: "\n"))
        do { try data.write(to: url, options: .atomic) } catch {
            throw BertSentError("cannot write the file: \(error.localizedDescription)", file: url.path)
        }
    }
}
