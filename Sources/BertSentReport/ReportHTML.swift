import Foundation

/// Text made safe for the report's HTML and inline SVG.
enum ReportHTML {
    /// `text` with markup characters escaped, so it shows as written in element content and in quoted
    /// attributes of both HTML and XML. Control characters XML forbids become U+FFFD, so a stray byte
    /// in a review cannot break the page's SVG.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// At most `limit` characters of `text` with runs of whitespace collapsed to one space; a cut text
    /// ends in "…". Not escaped.
    static func excerpt(_ text: String, limit: Int) -> String {
        let collapsed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard collapsed.count > limit else { return collapsed }
        return collapsed.prefix(max(limit - 1, 0)).trimmingCharacters(in: .whitespaces) + "…"
    }
}
