import BertSentCore
import CSV
import Foundation

/// Plain CSV tables for the CLI's outputs that carry no labels: prediction rows to print or write.
package enum CSVTable {
    /// The rows as CSV text (quoted where needed, LF line ends, trailing newline).
    package static func encode(_ rows: [[String]]) throws -> Data {
        // In memory: CSVWriter writes a byte at a time, which a file stream would turn into a system
        // call per byte.
        let stream = OutputStream.toMemory()
        do {
            let writer = try CSVWriter(stream: stream)
            for row in rows { try writer.write(row: row) }
        } catch {
            throw DatasetError.encodingFailed(path: nil, reason: "\(error)")
        }
        guard var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw DatasetError.encodingFailed(path: nil, reason: nil)
        }
        data.append(UInt8(ascii: "\n"))
        return data
    }
}
