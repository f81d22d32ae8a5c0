/// What the BERT basic tokenizer does with one Unicode scalar.
enum ScalarClass: UInt8 {
    /// Part of a word.
    case word
    /// Removed by text cleaning: NUL, U+FFFD and control/format/unassigned characters.
    case drop
    /// A word boundary.
    case space
    /// Punctuation: a word of its own.
    case punctuation
    /// A CJK ideograph: a word of its own, split off before any other normalization.
    case cjk
}

/// Classifies scalars the way one reference implementation does; the two disagree on rare characters.
///
/// - Python (`transformers` `BertTokenizer`, vocab.txt): control is any category `C*` (so unassigned code
///   points are dropped), whitespace is `Zs` plus `\t\n\r` (and `str.split` also splits on U+2028/U+2029),
///   punctuation is ASCII punctuation or any `P*`, and its `unicodedata` is Unicode 14.0: code points
///   assigned later count as unassigned.
/// - Rust (`tokenizers` `BertNormalizer`, tokenizer.json): control is `Cc`/`Cf`/`Co`/`Cs` (unassigned code
///   points stay and become `[UNK]`), whitespace is the `White_Space` property, and its CJK table has
///   0x2B920 where Python has 0x2B820.
struct ScalarClassifier: Sendable {
    let flavor: BertTokenizer.Flavor

    /// The Unicode version of Python 3.11's `unicodedata`, which made the slow reference fixtures.
    static let pythonUnicodeVersion = (major: 14, minor: 0)

    private static let asciiTable: [ScalarClass] = (0..<128).map { value in
        switch value {
        case 9, 10, 13, 32: return .space
        case 0..<32, 127: return .drop
        case 33...47, 58...64, 91...96, 123...126: return .punctuation
        default: return .word
        }
    }

    @inline(__always)
    func classify(_ value: UInt32) -> ScalarClass {
        if value < 128 { return Self.asciiTable[Int(value)] }
        return classifyNonASCII(value)
    }

    private func classifyNonASCII(_ value: UInt32) -> ScalarClass {
        guard let scalar = Unicode.Scalar(value), value != 0xFFFD else { return .drop }
        let properties = scalar.properties
        switch flavor {
        case .slow:
            guard let age = properties.age, (age.major, age.minor) <= Self.pythonUnicodeVersion else { return .drop }
            if value == 0x2028 || value == 0x2029 { return .space }
        case .fast:
            if properties.isWhitespace && !isOtherCategory(properties.generalCategory) { return .space }
        }
        let category = properties.generalCategory
        if isOtherCategory(category) {
            return flavor == .fast && category == .unassigned ? .word : .drop
        }
        if category == .spaceSeparator { return .space }
        if isCJK(value) { return .cjk }
        return isPunctuationCategory(category) ? .punctuation : .word
    }

    private func isOtherCategory(_ category: Unicode.GeneralCategory) -> Bool {
        switch category {
        case .control, .format, .privateUse, .surrogate, .unassigned: return true
        default: return false
        }
    }

    private func isPunctuationCategory(_ category: Unicode.GeneralCategory) -> Bool {
        switch category {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// The "Chinese character" ranges of BERT's original `_is_chinese_char` (not Hangul or kana).
    private func isCJK(_ value: UInt32) -> Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        case 0x2B820...0x2CEAF:
            return flavor == .slow || value >= 0x2B920
        default: return false
        }
    }
}
