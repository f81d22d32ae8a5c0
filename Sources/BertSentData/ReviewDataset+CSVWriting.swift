import BertSentCore
import Foundation

extension ReviewDataset {
    /// Writes the examples as CSV with a `textColumn,labelColumn` header, quoting fields that need
    /// it, in a form `load(csv:)` and pandas read back unchanged. Missing parent folders are created.
    /// The file appears complete or not at all: it is written beside the target and renamed into place.
    /// - Throws: `MessageError` naming the file when it cannot be written.
    public func write(csv url: URL, textColumn: String = "review", labelColumn: String = "sentiment") throws {
        let data: Data
        do { data = try CSVTable.encode([[textColumn, labelColumn]] + examples.map { [$0.text, $0.label] }) } catch let error as MessageError {
            throw error.inFile(url.path)
        }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw MessageError("cannot write the file: \(error.localizedDescription)", file: url.path)
        }
    }
}
