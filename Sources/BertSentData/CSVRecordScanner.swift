/// Finds where records start in CSV bytes given a piece at a time, so a file can be cut at record
/// boundaries without holding all of it.
///
/// CSV.swift's `CSVReader` returns fields but not positions, and quoted fields may hold line breaks, so
/// the scanner follows the reader's own rules: a quote opens a quoted field only at the start of a field,
/// `""` inside one is a quote, and outside quotes LF, CRLF or a lone CR ends a record. Without quoting
/// (one text per line) every line break ends a record.
struct CSVRecordScanner {
    /// Whether quotes mean anything (CSV) or are text like any other byte (one text per line).
    let quoting: Bool
    /// The 1-based line of the next byte.
    private(set) var line = 1
    /// Bytes scanned so far: the offset of the next byte.
    private(set) var offset = 0
    private var state = State.fieldStart
    private var quoteLine = 1
    private var atRecordStart = true
    /// The last byte was a CR ending a line: an LF next belongs to it, even in the next piece.
    private var afterCR = false

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    init(quoting: Bool = true) { self.quoting = quoting }

    /// The line where a quoted field opens that is still open after the bytes scanned so far.
    var openQuoteLine: Int? { state == .quoted ? quoteLine : nil }

    /// Scans the next piece of the file: `recordStart(offset, line)` for each record that starts in it,
    /// and `strayQuote(line)` for a record whose quoted field closes and then goes on (`"a"b`, which
    /// CSVReader keeps, but which usually means an undoubled quote has run one record into the next).
    mutating func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, recordStart: (_ offset: Int, _ line: Int) -> Void,
        strayQuote: (_ line: Int) -> Void = { _ in }
    ) {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var strayReported = false
        for byte in bytes {
            defer { offset += 1 }
            if afterCR {
                afterCR = false
                if byte == lf { continue }
            }
            if atRecordStart {
                recordStart(offset, line)
                atRecordStart = false
                strayReported = false
            }
            if byte == lf || byte == cr {
                afterCR = byte == cr
                line += 1
                if state != .quoted {
                    state = .fieldStart
                    atRecordStart = true
                }
                continue
            }
            guard quoting else { continue }
            switch state {
            case .fieldStart where byte == quote:
                state = .quoted
                quoteLine = line
            case .fieldStart, .unquoted:
                state = byte == comma ? .fieldStart : .unquoted
            case .quoted:
                if byte == quote { state = .quoteInQuoted }
            case .quoteInQuoted:
                // `""` is an escaped quote; after a closing quote anything but a comma stays in the field,
                // as CSVReader keeps it.
                if byte != quote && byte != comma && !strayReported {
                    strayQuote(line)
                    strayReported = true
                }
                state = byte == comma ? .fieldStart : .quoted
            }
        }
    }
}
