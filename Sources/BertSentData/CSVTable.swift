import BertSentCore
import CSV
import Foundation

/// Plain CSV tables for the CLI's inputs and outputs that carry no labels: a column of texts to
/// predict, and prediction rows to print.
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

    /// The values of the column named `column` of a CSV file with a header row; blank lines are skipped.
    /// - Throws: `FileError` for an unreadable file; `DatasetError` naming the file and the physical line
    ///   of a bad record.
    package static func column(_ column: String, of url: URL) throws -> [String] {
        let path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FileError.unreadable(path: path, what: "the file", reason: FileError.reason(error))
        }
        if let invalid = data.withUnsafeBytes({ UTF8Location.firstInvalidByte(in: $0.bindMemory(to: UInt8.self)) }) {
            throw DatasetError.invalidUTF8(path: path, line: invalid.line, column: invalid.column, byte: invalid.byte)
        }
        let text = String(decoding: data, as: UTF8.self)
        // Records may span lines (quoted line breaks), so their lines come from the index, not a count.
        let records = data.withUnsafeBytes { CSVRecordIndex($0.bindMemory(to: UInt8.self)) }
        if let line = records.unclosedQuoteLine {
            throw DatasetError.unclosedQuote(path: path, line: line)
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(
                string: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, hasHeaderRow: true)
        } catch {
            throw DatasetError.unreadableHeader(path: path, reason: "\(error)")
        }
        let header = reader.headerRow ?? []
        guard let field = header.firstIndex(of: column) else {
            throw DatasetError.missingColumn(path: path, column: column, found: header)
        }
        var values: [String] = []
        var record = 0
        while let row = reader.next() {
            record += 1
            if row == [""] && header.count > 1 { continue }
            guard field < row.count else {
                let line = record < records.count ? records.lines[record] : record + 1
                throw DatasetError.badRow(
                    path: path, line: line, problem: .tooFewFields(expected: header.count, found: row.count))
            }
            values.append(row[field])
        }
        if let error = reader.error {
            throw DatasetError.malformedCSV(path: path, afterRecord: record, reason: "\(error)")
        }
        return values
    }
}
