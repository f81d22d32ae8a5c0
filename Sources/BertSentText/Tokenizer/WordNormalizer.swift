import Foundation

/// Lowercasing and accent stripping of one whitespace-delimited token, in the order of the reference
/// implementation: Python lowercases then strips, Rust strips then lowercases. They differ where the
/// lowercase mapping itself adds a combining mark, and Python also NFC-composes first and lowercases a
/// final capital sigma to "ς".
struct WordNormalizer: Sendable {
    let classifier: ScalarClassifier
    let lowercase: Bool
    let stripAccents: Bool

    /// Writes the normalized scalars of `token` to `output` (replacing its contents).
    func normalize(_ token: UnsafeBufferPointer<UInt32>, into output: inout [UInt32]) {
        output.removeAll(keepingCapacity: true)
        if token.allSatisfy({ $0 < 128 }) {
            // ASCII has no accents and a one-to-one lowercase mapping.
            output.append(contentsOf: token.lazy.map { self.lowercase && $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 })
            return
        }
        var scalars = token.map { Unicode.Scalar($0)! }
        switch classifier.flavor {
        case .slow:
            scalars = Array(Self.string(scalars).precomposedStringWithCanonicalMapping.unicodeScalars)
            if lowercase { scalars = Self.pythonLowercased(scalars) }
            if stripAccents { scalars = strippingAccents(scalars) }
        case .fast:
            if stripAccents { scalars = strippingAccents(scalars) }
            if lowercase { scalars = scalars.flatMap { $0.properties.lowercaseMapping.unicodeScalars } }
        }
        output.append(contentsOf: scalars.lazy.map(\.value))
    }

    private static func string(_ scalars: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// NFD, then drop nonspacing marks (`Mn`).
    private func strippingAccents(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        Self.string(scalars).decomposedStringWithCanonicalMapping.unicodeScalars.filter {
            !classifier.isNonspacingMark($0)
        }
    }

    /// Python's `str.lower()`: the full lowercase mapping, with U+03A3 becoming final "ς" when a cased letter
    /// precedes it and none follows (skipping case-ignorable characters both ways).
    private static func pythonLowercased(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() {
            if scalar.value == 0x3A3 {
                output.append(isFinalSigma(scalars, at: index) ? "\u{3C2}" : "\u{3C3}")
            } else {
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return output
    }

    private static func isFinalSigma(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        let before = scalars[..<index].last { !$0.properties.isCaseIgnorable }
        guard let before, before.properties.isCased else { return false }
        let after = scalars[(index + 1)...].first { !$0.properties.isCaseIgnorable }
        return after.map { !$0.properties.isCased } ?? true
    }
}
