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
///   punctuation is ASCII punctuation or any `P*`. Its `unicodedata` (Python 3.11) is Unicode 14.0.
/// - Rust (`tokenizers` `BertNormalizer`/`BertPreTokenizer`, tokenizer.json): control is `Cc`/`Cf`/`Co`/`Cs`
///   (unassigned code points stay and become `[UNK]`), whitespace is the `White_Space` property, and its CJK
///   table has 0x2B920 where Python has 0x2B820. Its categories (the `unicode_categories` crate) are
///   Unicode 8.0, so punctuation, format characters and nonspacing marks added later are plain letters.
///
/// Swift's own tables are newer than both, so categories come from `referenceCategory`, which treats later
/// code points as unassigned and undoes the few category changes since.
struct ScalarClassifier: Sendable {
    let flavor: BertTokenizer.Flavor

    private static let asciiTable: [ScalarClass] = (0..<128).map { value in
        switch value {
        case 9, 10, 13, 32: return .space
        case 0..<32, 127: return .drop
        case 33...47, 58...64, 91...96, 123...126: return .punctuation
        default: return .word
        }
    }

    /// Code points whose category in the reference's Unicode version differs from Swift's (found by
    /// tokenizing every code point with both references).
    private static let pythonCategoryChanges: [UInt32: Unicode.GeneralCategory] = [0x1171E: .nonspacingMark]
    private static let rustCategoryChanges: [UInt32: Unicode.GeneralCategory] = [
        0x166D: .otherPunctuation, 0x111C9: .otherPunctuation, 0x1734: .nonspacingMark, 0x1171E: .nonspacingMark,
        0x1885: .otherLetter, 0x1886: .otherLetter, 0xA9BD: .spacingMark,
    ]

    @inline(__always)
    func classify(_ value: UInt32) -> ScalarClass {
        if value < 128 { return Self.asciiTable[Int(value)] }
        return classifyNonASCII(value)
    }

    private func classifyNonASCII(_ value: UInt32) -> ScalarClass {
        guard let scalar = Unicode.Scalar(value), value != 0xFFFD else { return .drop }
        let category = referenceCategory(scalar)
        switch flavor {
        case .slow:
            switch category {
            case .control, .format, .privateUse, .surrogate, .unassigned: return .drop
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: return .space
            default: break
            }
        case .fast:
            switch category {
            case .control, .format, .privateUse, .surrogate: return .drop
            default: if scalar.properties.isWhitespace { return .space }
            }
        }
        if isCJK(value) { return .cjk }
        switch category {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return .punctuation
        default:
            return .word
        }
    }

    /// Whether accent stripping removes `scalar` (category `Mn`).
    func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? false : referenceCategory(scalar) == .nonspacingMark
    }

    /// The general category in the reference's Unicode tables.
    private func referenceCategory(_ scalar: Unicode.Scalar) -> Unicode.GeneralCategory {
        let (version, changes) =
            switch flavor {
            case .slow: ((major: 14, minor: 0), Self.pythonCategoryChanges)
            case .fast: ((major: 8, minor: 0), Self.rustCategoryChanges)
            }
        if let changed = changes[scalar.value] { return changed }
        guard let age = scalar.properties.age, (age.major, age.minor) <= version else { return .unassigned }
        return scalar.properties.generalCategory
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
