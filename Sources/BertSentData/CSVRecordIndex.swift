/// Where each record of a CSV file starts: its byte offset and its physical line (`CSVRecordScanner`
/// over the whole file). The offsets let the file be cut into pieces at record boundaries and parsed on
/// several cores; the lines let errors name them.
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

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var scanner = CSVRecordScanner()
        scanner.scan(
            bytes,
            recordStart: {
                offsets.append($0)
                lines.append($1)
            },
            strayQuote: { strayQuoteLines[offsets.count - 1] = $0 })
        unclosedQuoteLine = scanner.openQuoteLine
    }

    /// The byte range of records `records` in a file of `byteCount` bytes.
    func byteRange(of records: Range<Int>, byteCount: Int) -> Range<Int> {
        offsets[records.lowerBound]..<(records.upperBound < count ? offsets[records.upperBound] : byteCount)
    }
}
