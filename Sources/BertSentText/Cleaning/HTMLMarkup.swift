/// Recognises the HTML that scraped reviews carry: tags and character references, found in UTF-8
/// bytes by `TextCleaner`.
enum HTMLMarkup {
    /// The index just past the tag starting at `index` (a `<`), or nil when the `<` is ordinary text.
    ///
    /// A tag is `<` followed by a letter, `/`, `!` or `?` and ends at the next `>`; so "a < b",
    /// "<3" and "<<" stay text. A `<` before the `>` means the first one was text, which keeps a
    /// stray "<and" from swallowing everything up to a later tag.
    static func tagEnd(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard index + 1 < bytes.count else { return nil }
        let next = bytes[index + 1]
        guard isLetter(next) || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") || next == UInt8(ascii: "?")
        else {
            return nil
        }
        var i = index + 2
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: ">"): return i + 1
            case UInt8(ascii: "<"): return nil
            default: i += 1
            }
        }
        return nil
    }

    /// The character a reference starting at `index` (an `&`) stands for, and the index just past
    /// its `;`; nil when there is no complete, known reference (the `&` is then ordinary text).
    ///
    /// Numeric references follow the HTML standard: 128–159 mean their Windows-1252 characters
    /// (`&#150;` is an en dash), and 0, surrogates and values past U+10FFFF become U+FFFD.
    static func entity(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int)? {
        let limit = min(bytes.count, index + maximumReferenceLength)
        guard let semicolon = (index + 1..<limit).first(where: { bytes[$0] == UInt8(ascii: ";") }),
            semicolon > index + 1
        else { return nil }
        let body = bytes[(index + 1)..<semicolon]
        if body.first == UInt8(ascii: "#") {
            return numericReference(body.dropFirst()).map { ($0, semicolon + 1) }
        }
        guard body.allSatisfy({ isLetter($0) || isDigit($0) }) else { return nil }
        return namedReferences[String(decoding: body, as: UTF8.self)].map { ($0, semicolon + 1) }
    }

    /// `&` + the longest name or number + `;`.
    private static let maximumReferenceLength = 12

    private static func numericReference(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Unicode.Scalar? {
        var digits = digits
        var radix: UInt32 = 10
        if let marker = digits.first, marker == UInt8(ascii: "x") || marker == UInt8(ascii: "X") {
            radix = 16
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value: UInt32 = 0
        for byte in digits {
            guard let digit = digitValue(byte), digit < radix else { return nil }
            value = min(value * radix + digit, 0x11_0000)
        }
        if (0x80...0x9F).contains(value), let mapped = windows1252[Int(value - 0x80)] {
            return mapped
        }
        return value == 0 ? "\u{FFFD}" : Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    private static func digitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The characters Windows-1252 puts at 0x80–0x9F, which HTML maps numeric references in that
    /// range to; nil where Windows-1252 has none (the reference then means the C1 control itself).
    private static let windows1252: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]

    /// The named references found in scraped reviews: the XML five, spaces and typography, and the
    /// accented letters of names and titles.
    private static let namedReferences: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'",
        "nbsp": "\u{00A0}", "shy": "\u{00AD}", "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}",
        "ndash": "\u{2013}", "mdash": "\u{2014}", "hellip": "\u{2026}", "bull": "\u{2022}", "middot": "\u{00B7}",
        "lsquo": "\u{2018}", "rsquo": "\u{2019}", "ldquo": "\u{201C}", "rdquo": "\u{201D}",
        "laquo": "\u{00AB}", "raquo": "\u{00BB}", "copy": "\u{00A9}", "reg": "\u{00AE}", "trade": "\u{2122}",
        "deg": "\u{00B0}", "times": "\u{00D7}", "frac12": "\u{00BD}", "pound": "\u{00A3}", "euro": "\u{20AC}",
        "eacute": "\u{00E9}", "egrave": "\u{00E8}", "aacute": "\u{00E1}", "agrave": "\u{00E0}", "iacute": "\u{00ED}",
        "oacute": "\u{00F3}", "uacute": "\u{00FA}", "ntilde": "\u{00F1}", "ccedil": "\u{00E7}", "auml": "\u{00E4}",
        "ouml": "\u{00F6}", "uuml": "\u{00FC}", "szlig": "\u{00DF}", "Eacute": "\u{00C9}",
    ]
}
