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
    ///   - cleaner: cleans each text; nil keeps texts as written.
    ///   - skipBadRows: leaves out rows with the wrong number of fields, text after a closing quote
    ///     (an undoubled quote), or an empty text or label, returning them in `skipped`, instead of
    ///     throwing at the first.
    /// - Throws: `MessageError` naming the file, the line and the field: for an unreadable or empty
    ///   file, invalid UTF-8, a quote that is never closed, a missing column (listing those found),
    ///   no rows, a bad row (unless skipped), or a single class.
    public static func load(
        csv url: URL, textColumn: String = "review", labelColumn: String = "sentiment",
        cleaner: TextCleaner? = TextCleaner(), skipBadRows: Bool = false
    ) throws -> (dataset: ReviewDataset, skipped: [SkippedRow]) {
        let path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw MessageError("cannot read the file: \(error.localizedDescription)", file: path)
        }
        do {
            let outcomes = try data.withUnsafeBytes { raw in
                try parseRecords(raw.bindMemory(to: UInt8.self), textColumn: textColumn, labelColumn: labelColumn, cleaner: cleaner)
            }
            var examples: [LabeledText] = []
            var skipped: [SkippedRow] = []
            examples.reserveCapacity(outcomes.count)
            for outcome in outcomes {
                switch outcome {
                case .example(let example): examples.append(example)
                case .blank: continue
                case .bad(let row) where skipBadRows: skipped.append(row)
                case .bad(let row): throw MessageError("line \(row.line): \(row.reason)")
                }
            }
            if examples.isEmpty {
                throw MessageError(skipped.first.map { "no usable rows: all \(skipped.count) are bad, the first at line \($0.line): \($0.reason)" }
                    ?? "the file has a header but no rows")
            }
            let dataset = ReviewDataset(examples: examples, source: path, labelColumn: labelColumn)
            if dataset.labels.count < 2 {
                throw MessageError("field '\(labelColumn)' has one class only ('\(dataset.labels[0])' in all \(examples.count) rows); a classifier needs at least two")
            }
            return (dataset, skipped)
        } catch let error as MessageError {
            throw error.inFile(path)
        }
    }

    /// What one record of the file turned into.
    private enum RecordOutcome: Sendable {
        case example(LabeledText)
        case blank
        case bad(SkippedRow)
    }

    /// Checks the whole file, reads the header, then parses and cleans the rows on all cores.
    private static func parseRecords(
        _ file: UnsafeBufferPointer<UInt8>, textColumn: String, labelColumn: String, cleaner: TextCleaner?
    ) throws -> [RecordOutcome] {
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let bytes = file.starts(with: byteOrderMark) ? UnsafeBufferPointer(rebasing: file.dropFirst(3)) : file
        guard bytes.contains(where: { !isWhitespace($0) }) else { throw MessageError("the file is empty") }
        if let invalid = UTF8Location.firstInvalidByte(in: bytes) {
            throw MessageError(
                "line \(invalid.line), column \(invalid.column): invalid UTF-8 (byte 0x\(String(invalid.byte, radix: 16, uppercase: true))); "
                    + "save the file as UTF-8")
        }
        let index = CSVRecordIndex(bytes)
        if let line = index.unclosedQuoteLine {
            throw MessageError("line \(line): a quoted field opens here and is never closed")
        }
        let header = try parse(bytes, records: 0..<1, of: index)[0].map { $0.trimmingCharacters(in: .whitespaces) }
        guard let textIndex = header.firstIndex(of: textColumn), let labelIndex = header.firstIndex(of: labelColumn) else {
            let missing = header.contains(textColumn) ? labelColumn : textColumn
            throw MessageError("line 1: no column '\(missing)' in the header (columns found: \(header.joined(separator: ", ")))")
        }

        func outcome(of row: [String], record: Int) -> RecordOutcome {
            let line = index.lines[record]
            if row == [""] && header.count > 1 { return .blank }
            if let quoteLine = index.strayQuoteLines[record] {
                let place = quoteLine == line ? "" : " (on line \(quoteLine))"
                return .bad(SkippedRow(line: line, reason:
                    "a quoted field has text after its closing quote\(place); write a quote inside quotes as \"\""))
            }
            guard row.count == header.count else {
                return .bad(SkippedRow(line: line, reason:
                    "expected \(header.count) fields (\(header.joined(separator: ", "))) but found \(row.count); "
                        + "quote fields that contain commas"))
            }
            let text = cleaner?.clean(row[textIndex]) ?? row[textIndex]
            if text.allSatisfy(\.isWhitespace) {
                let afterCleaning = cleaner != nil && !row[textIndex].allSatisfy(\.isWhitespace) ? " after cleaning" : ""
                return .bad(SkippedRow(line: line, reason: "field '\(textColumn)' is empty\(afterCleaning)"))
            }
            let label = row[labelIndex].trimmingCharacters(in: .whitespaces)
            if label.isEmpty { return .bad(SkippedRow(line: line, reason: "field '\(labelColumn)' is empty")) }
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
                    try zip(parse(bytes, records: records, of: index), records).map { outcome(of: $0, record: $1) }
                }
            }
        }
        return try pieces.flatMap { try $0.get() }
    }

    /// The fields of `records`, read by CSV.swift from their bytes.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, records: Range<Int>, of index: CSVRecordIndex) throws -> [[String]] {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[index.byteRange(of: records, byteCount: bytes.count)]), as: UTF8.self)
        let reader = try CSVReader(string: text)
        var rows: [[String]] = []
        rows.reserveCapacity(records.count)
        while let row = reader.next() { rows.append(row) }
        guard rows.count == records.count else {
            // The index follows CSVReader's rules, so this means the two disagree about this file.
            throw MessageError("line \(index.lines[records.lowerBound]): expected \(records.count) records from here but the CSV reader found \(rows.count)")
        }
        return rows
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0D)
    }
}
