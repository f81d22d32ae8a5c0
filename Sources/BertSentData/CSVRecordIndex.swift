/// Where each record of a CSV file starts: its byte offset and its physical line.
///
/// CSV.swift's `CSVReader` returns fields but not positions, and quoted fields may hold line breaks,
/// so a record's line cannot be counted from its index. One quick pass over the bytes, following the
/// reader's own rules, finds them: a quote opens a quoted field only at the start of a field, `""`
/// inside one is a quote, and outside quotes LF, CRLF or a lone CR ends a record. The same offsets
/// let the file be cut into pieces at record boundaries and parsed on several cores.
struct CSVRecordIndex {
    /// Byte offset of each record's first byte.
    var offsets: [Int] = []
    /// The 1-based line each record starts on.
    var lines: [Int] = []
    /// The line where a quoted field opens that is still open at the end of the file.
    var unclosedQuoteLine: Int?
    /// For records whose quoted field closes and then goes on (`"a"b`), the line of that quote.
    /// CSVReader keeps such a field, but it usually means an undoubled quote has run one record
    /// into the next, so the loader rejects the record.
    var strayQuoteLines: [Int: Int] = [:]

    var count: Int { offsets.count }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var state = State.fieldStart
        var line = 1
        var quoteLine = 1
        var atRecordStart = true
        var i = 0
        while i < bytes.count {
            if atRecordStart {
                offsets.append(i)
                lines.append(line)
                atRecordStart = false
            }
            let byte = bytes[i]
            i += 1
            if byte == lf || byte == cr {
                if byte == cr && i < bytes.count && bytes[i] == lf { i += 1 }
                line += 1
                if state != .quoted {
                    state = .fieldStart
                    atRecordStart = true
                }
                continue
            }
            switch state {
            case .fieldStart where byte == quote:
                state = .quoted
                quoteLine = line
            case .fieldStart, .unquoted:
                state = byte == comma ? .fieldStart : .unquoted
            case .quoted:
                if byte == quote { state = .quoteInQuoted }
            case .quoteInQuoted:
                // `""` is an escaped quote; after a closing quote anything but a comma is kept inside
                // the field, as CSVReader does.
                if byte != quote && byte != comma && strayQuoteLines[offsets.count - 1] == nil {
                    strayQuoteLines[offsets.count - 1] = line
                }
                state = byte == comma ? .fieldStart : .quoted
            }
        }
        if state == .quoted { unclosedQuoteLine = quoteLine }
    }

    /// The byte range of records `records` in a file of `byteCount` bytes.
    func byteRange(of records: Range<Int>, byteCount: Int) -> Range<Int> {
        offsets[records.lowerBound]..<(records.upperBound < count ? offsets[records.upperBound] : byteCount)
    }
}
