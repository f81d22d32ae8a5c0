/// Finds where UTF-8 goes wrong, so a loader can say which line to fix rather than only that the
/// file is broken.
enum UTF8Location {
    /// Where the first byte that does not start a valid UTF-8 sequence is (overlong forms, surrogates
    /// and values past U+10FFFF included): its 1-based line, its 1-based column counted in
    /// characters, and its value. Nil when all of `bytes` is valid.
    ///
    /// Lines end at LF, CRLF or a lone CR, as CSV records do.
    static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int, byte: UInt8)? {
        // The standard library validates far faster than a scalar-by-scalar walk; walk only to
        // locate a problem it found.
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        var line = 1
        var column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let byte = bytes[offset]
                offset += encoded.count
                let crBeforeLF =
                    byte == UInt8(ascii: "\r") && offset < bytes.count && bytes[offset] == UInt8(ascii: "\n")
                if (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")) && !crBeforeLF {
                    line += 1
                    column = 1
                } else if !crBeforeLF {
                    column += 1
                }
            case .error:
                return (line, column, bytes[offset])
            case .emptyInput:
                return nil
            }
        }
    }
}
