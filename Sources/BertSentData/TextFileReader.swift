import BertSentCore
import CSV
import Foundation

/// Texts read from a file a bounded piece at a time, whatever its size: one column of a CSV file with a
/// header row, or one text per line (LF, CRLF or CR; blank lines skipped). Memory holds one read piece
/// (1 MiB) and the texts asked for, plus any single record longer than a piece.
public final class TextFileReader {
    /// The file as the user named it (`-` for standard input).
    public let path: String
    /// The file's size in bytes; nil for standard input and other streams.
    public let byteCount: Int?
    /// Bytes of the file behind the texts returned so far.
    public private(set) var bytesRead = 0
    /// Texts returned so far.
    public private(set) var textsRead = 0

    private let handle: FileHandle
    private let column: String?
    private var scanner: CSVRecordScanner
    /// Bytes read but not yet returned as texts; `pending[0]` is byte `pendingOffset` of the file.
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    /// Records that start in `pending`: their file offsets and lines. All but the last are complete.
    private var starts: [(offset: Int, line: Int)] = []
    private var atEnd = false
    /// The header's fields and the column's index in them (CSV only), once the header has been read.
    private var header: [String]?
    private var field = 0

    private static let pieceSize = 1 << 20

    /// Opens `path` (`-`: standard input). With `column`, the file is CSV and the texts are that column;
    /// without, each line is a text.
    /// - Throws: `FileError.unreadable` for a file that cannot be opened.
    public init(path: String, column: String?) throws {
        self.path = path
        self.column = column
        scanner = CSVRecordScanner(quoting: column != nil)
        if path == "-" {
            handle = .standardInput
            byteCount = nil
        } else {
            do {
                handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            } catch {
                throw FileError.unreadable(path: path, what: "the texts", reason: FileError.reason(error))
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            byteCount = size
        }
    }

    deinit { if path != "-" { try? handle.close() } }

    /// Up to `limit` more texts, in file order; empty at the end of the file.
    /// - Throws: `DatasetError` naming the file and line of bad bytes, an unclosed quote, a missing column
    ///   or a record with too few fields, or a CSV file without even a header; `FileError` when reading
    ///   fails.
    public func next(upTo limit: Int) throws -> [String] {
        var texts: [String] = []
        while texts.count < limit {
            let complete = atEnd ? starts.count : starts.count - 1
            if complete <= 0 {
                if atEnd && column != nil && header == nil { throw DatasetError.emptyFile(path: path) }
                if atEnd { break }
                try readPiece()
                continue
            }
            let take = min(complete, column != nil && header == nil ? 1 : limit - texts.count)
            texts += try parse(records: take)
        }
        textsRead += texts.count
        return texts
    }

    /// Every text left in the file.
    public func readAll() throws -> [String] {
        var all: [String] = []
        while case let texts = try next(upTo: 4096), !texts.isEmpty { all += texts }
        return all
    }

    private func readPiece() throws {
        let data: Data?
        do { data = try handle.read(upToCount: Self.pieceSize) } catch {
            throw FileError.unreadable(path: path, what: "the texts", reason: FileError.reason(error))
        }
        guard let data, !data.isEmpty else {
            atEnd = true
            if let line = scanner.openQuoteLine { throw DatasetError.unclosedQuote(path: path, line: line) }
            return
        }
        var bytes = [UInt8](data)
        if scanner.offset == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            // A byte-order mark is not part of the first field; counted as read, never scanned.
            bytes.removeFirst(3)
            pendingOffset = 3
            bytesRead = 3
        }
        let base = pendingOffset + pending.count - scanner.offset
        bytes.withUnsafeBufferPointer { piece in
            scanner.scan(piece, recordStart: { starts.append((base + $0, $1)) })
        }
        pending += bytes
    }

    /// Parses the first `count` records of `starts` (all complete) and drops their bytes.
    private func parse(records count: Int) throws -> [String] {
        let end = count < starts.count ? starts[count].offset : pendingOffset + pending.count
        let range = (starts[0].offset - pendingOffset)..<(end - pendingOffset)
        let lines = starts[..<count].map(\.line)
        let texts: [String] = try pending.withUnsafeBufferPointer { all in
            let bytes = UnsafeBufferPointer(rebasing: all[range])
            if let invalid = UTF8Location.firstInvalidByte(in: bytes) {
                throw DatasetError.invalidUTF8(
                    path: path, line: lines[0] + invalid.line - 1, column: invalid.column, byte: invalid.byte)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            guard column != nil else {
                return text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
                    .map(String.init)
            }
            return try fields(of: text, lines: lines)
        }
        starts.removeFirst(count)
        pending.removeFirst(range.upperBound)
        pendingOffset = end
        bytesRead = end
        return texts
    }

    /// The column's values in `text`, CSV records starting on `lines` (the header, when not read yet).
    private func fields(of text: String, lines: [Int]) throws -> [String] {
        let reader: CSVReader
        do { reader = try CSVReader(string: text) } catch {
            throw DatasetError.malformedCSV(path: path, afterRecord: textsRead, reason: "\(error)")
        }
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        if let error = reader.error {
            throw DatasetError.malformedCSV(path: path, afterRecord: textsRead, reason: "\(error)")
        }
        guard rows.count == lines.count else {
            // The scanner follows CSVReader's rules, so this means the two disagree about this file.
            throw DatasetError.recordCountMismatch(path: path, line: lines[0], expected: lines.count, found: rows.count)
        }
        guard let header else {
            let names = rows[0].map { $0.trimmingCharacters(in: .whitespaces) }
            guard let column, let index = names.firstIndex(of: column) else {
                throw DatasetError.missingColumn(path: path, column: column ?? "", found: names)
            }
            self.header = names
            field = index
            return []
        }
        var values: [String] = []
        values.reserveCapacity(rows.count)
        for (row, line) in zip(rows, lines) {
            if row == [""] && header.count > 1 { continue }
            guard field < row.count else {
                throw DatasetError.badRow(
                    path: path, line: line, problem: .tooFewFields(expected: header.count, found: row.count))
            }
            values.append(row[field])
        }
        return values
    }
}
