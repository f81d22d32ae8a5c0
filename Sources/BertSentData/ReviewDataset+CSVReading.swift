import BertSentCore
import BertSentText
import CSV
import Foundation

extension ReviewDataset {
    /// Reads a CSV file with a header row, taking the text and the label from the named columns
    /// (IMDB's `review` and `sentiment` by default). Quoted fields may hold commas, quotes (`""`) and
    /// line breaks; lines may end in LF or CRLF; a UTF-8 byte-order mark is ignored; blank lines are
    /// skipped. Labels may be words (`positive`) or integers (`1`).
    ///
    /// - Parameters:
    ///   - url: the CSV file.
    ///   - textColumn: the header of the column holding the texts.
    ///   - labelColumn: the header of the column holding the labels.
    ///   - cleaner: cleans each text; nil keeps texts as written.
    ///   - skipBadRows: leaves out rows with the wrong number of fields, text after a closing quote
    ///     (an undoubled quote), or an empty text or label, returning them in `skipped`, instead of
    ///     throwing at the first.
    ///   - labelsOptional: texts may come without a label (distillation: they learn from a teacher): an
    ///     empty label, or no label column at all, makes an unlabelled example, and one class or none is
    ///     no error.
    /// - Throws: `FileError` for an unreadable file; `DatasetError` naming the file, the line and the
    ///   field: for an empty file, invalid UTF-8, a quote that is never closed, a missing column (listing
    ///   those found), no rows, a bad row (unless skipped), or a single class.
    public static func load(
        csv url: URL, textColumn: String = "review", labelColumn: String = "sentiment",
        cleaner: TextCleaner? = TextCleaner(), skipBadRows: Bool = false, labelsOptional: Bool = false
    ) throws -> (dataset: ReviewDataset, skipped: [SkippedRow]) {
        let path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FileError.unreadable(path: path, what: "the file", reason: FileError.reason(error))
        }
        let outcomes = try data.withUnsafeBytes { raw in
            try parseRecords(
                raw.bindMemory(to: UInt8.self), path: path, textColumn: textColumn, labelColumn: labelColumn,
                cleaner: cleaner, labelsOptional: labelsOptional)
        }
        var examples: [LabeledText] = []
        var skipped: [SkippedRow] = []
        examples.reserveCapacity(outcomes.count)
        for outcome in outcomes {
            switch outcome {
            case .example(let example): examples.append(example)
            case .blank: continue
            case .bad(let row) where skipBadRows: skipped.append(row)
            case .bad(let row): throw DatasetError.badRow(path: path, line: row.line, problem: row.problem)
            }
        }
        if examples.isEmpty {
            throw DatasetError.noUsableRows(path: path, badRows: skipped.count, firstBad: skipped.first)
        }
        let dataset = ReviewDataset(
            examples: examples, source: path, labelColumn: labelColumn, textsCleaned: cleaner != nil)
        if dataset.labels.count < 2, !labelsOptional {
            throw DatasetError.singleClass(
                path: path, column: labelColumn, label: dataset.labels[0], rows: examples.count)
        }
        return (dataset, skipped)
    }

    /// What one record of the file turned into.
    private enum RecordOutcome: Sendable {
        case example(LabeledText)
        case blank
        case bad(SkippedRow)
    }

    /// Checks the whole file, reads the header, then parses and cleans the rows on all cores.
    private static func parseRecords(
        _ file: UnsafeBufferPointer<UInt8>, path: String, textColumn: String, labelColumn: String,
        cleaner: TextCleaner?,
        labelsOptional: Bool
    ) throws -> [RecordOutcome] {
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let bytes = file.starts(with: byteOrderMark) ? UnsafeBufferPointer(rebasing: file.dropFirst(3)) : file
        guard bytes.contains(where: { !isWhitespace($0) }) else { throw DatasetError.emptyFile(path: path) }
        if let invalid = UTF8Location.firstInvalidByte(in: bytes) {
            throw DatasetError.invalidUTF8(path: path, line: invalid.line, column: invalid.column, byte: invalid.byte)
        }
        let index = CSVRecordIndex(bytes)
        if let line = index.unclosedQuoteLine {
            throw DatasetError.unclosedQuote(path: path, line: line)
        }
        let header = try parse(bytes, path: path, records: 0..<1, of: index)[0]
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let labelIndex = header.firstIndex(of: labelColumn)
        guard let textIndex = header.firstIndex(of: textColumn), labelIndex != nil || labelsOptional else {
            let missing = header.contains(textColumn) ? labelColumn : textColumn
            throw DatasetError.missingColumn(path: path, column: missing, found: header)
        }

        func outcome(of row: [String], record: Int) -> RecordOutcome {
            let line = index.lines[record]
            if row == [""] && header.count > 1 { return .blank }
            if let quoteLine = index.strayQuoteLines[record] {
                return .bad(
                    SkippedRow(
                        line: line, problem: .textAfterClosingQuote(quoteLine: quoteLine == line ? nil : quoteLine)))
            }
            guard row.count == header.count else {
                return .bad(SkippedRow(line: line, problem: .wrongFieldCount(header: header, found: row.count)))
            }
            let text = cleaner?.clean(row[textIndex]) ?? row[textIndex]
            if text.allSatisfy(\.isWhitespace) {
                let afterCleaning = cleaner != nil && !row[textIndex].allSatisfy(\.isWhitespace)
                return .bad(
                    SkippedRow(line: line, problem: .emptyText(column: textColumn, afterCleaning: afterCleaning)))
            }
            let label = labelIndex.map { row[$0].trimmingCharacters(in: .whitespaces) } ?? LabeledText.noLabel
            if label.isEmpty, !labelsOptional {
                return .bad(SkippedRow(line: line, problem: .emptyLabel(column: labelColumn)))
            }
            return .example(LabeledText(text: text, label: label, line: line))
        }

        // Several pieces per core even out pieces that happen to hold longer reviews.
        let rowCount = index.count - 1
        let pieceCount = min(rowCount, coreCount * 4)
        var pieces = [Result<[RecordOutcome], Error>](repeating: .success([]), count: pieceCount)
        pieces.withUnsafeMutableBufferPointer { pieces in
            parallelFor(pieceCount) { piece in
                let records = (1 + rowCount * piece / pieceCount)..<(1 + rowCount * (piece + 1) / pieceCount)
                pieces[piece] = Result {
                    try zip(parse(bytes, path: path, records: records, of: index), records)
                        .map { outcome(of: $0, record: $1) }
                }
            }
        }
        return try pieces.flatMap { try $0.get() }
    }

    /// The fields of `records`, read by CSV.swift from their bytes (of the file at `path`).
    private static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, path: String, records: Range<Int>, of index: CSVRecordIndex
    ) throws -> [[String]] {
        let text = String(
            decoding: UnsafeBufferPointer(rebasing: bytes[index.byteRange(of: records, byteCount: bytes.count)]),
            as: UTF8.self)
        let reader = try CSVReader(string: text)
        var rows: [[String]] = []
        rows.reserveCapacity(records.count)
        while let row = reader.next() { rows.append(row) }
        guard rows.count == records.count else {
            // The index follows CSVReader's rules, so this means the two disagree about this file.
            throw DatasetError.recordCountMismatch(
                path: path, line: index.lines[records.lowerBound], expected: records.count, found: rows.count)
        }
        return rows
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0D)
    }
}
