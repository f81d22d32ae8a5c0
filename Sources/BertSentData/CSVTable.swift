import BertSentCore
import CSV
import Foundation

/// Plain CSV tables for the CLI's inputs and outputs that carry no labels: a column of texts to
/// predict, and prediction rows to print.
public enum CSVTable {
    /// The rows as CSV text (quoted where needed, LF line ends, trailing newline).
    public static func encode(_ rows: [[String]]) throws -> Data {
        // In memory: CSVWriter writes a byte at a time, which a file stream would turn into a system
        // call per byte.
        let stream = OutputStream.toMemory()
        do {
            let writer = try CSVWriter(stream: stream)
            for row in rows { try writer.write(row: row) }
        } catch {
            throw MessageError("cannot encode the CSV: \(error)")
        }
        guard var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw MessageError("cannot encode the CSV")
        }
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// The values of the column named `column` of a CSV file with a header row; blank lines are skipped.
    /// - Throws: `MessageError` naming the file and the physical line of a bad record.
    public static func column(_ column: String, of url: URL) throws -> [String] {
        guard let data = try? Data(contentsOf: url) else { throw MessageError("cannot read the file", file: url.path) }
        guard let text = String(data: data, encoding: .utf8) else { throw MessageError("the file is not valid UTF-8", file: url.path) }
        // Records may span lines (quoted line breaks), so their lines come from the index, not a count.
        let records = data.withUnsafeBytes { CSVRecordIndex($0.bindMemory(to: UInt8.self)) }
        if let line = records.unclosedQuoteLine {
            throw MessageError("line \(line): a quoted field opens here and is never closed", file: url.path)
        }
        let reader: CSVReader
        do { reader = try CSVReader(string: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, hasHeaderRow: true) } catch {
            throw MessageError("line 1: cannot read the CSV header (\(error))", file: url.path)
        }
        let header = reader.headerRow ?? []
        guard let field = header.firstIndex(of: column) else {
            throw MessageError("line 1: no column '\(column)' (columns: \(header.joined(separator: ", ")))", file: url.path)
        }
        var values: [String] = []
        var record = 0
        while let row = reader.next() {
            record += 1
            if row == [""] && header.count > 1 { continue }
            guard field < row.count else {
                let line = record < records.count ? records.lines[record] : record + 1
                throw MessageError("line \(line): \(row.count) fields, fewer than the header's \(header.count)", file: url.path)
            }
            values.append(row[field])
        }
        if let error = reader.error { throw MessageError("malformed CSV after record \(record) (\(error))", file: url.path) }
        return values
    }
}
