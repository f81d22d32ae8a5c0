import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Hand cases for each stage of BERT tokenization, on a tiny vocabulary.
struct TokenizerStageTests {
    static let vocabulary = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "a", "##a", "hello", "world",
        ",", "!", "$", "5", "cafe", "café", "Café", "中", "文", "ᄀ", "##ᅡ", "ο", "##δ", "##ος", "##ο", "##σ", "[", "]",
        "sep", "##b",
    ]

    static func tokenizer(_ options: BertTokenizer.Options = .init()) throws -> BertTokenizer {
        try BertTokenizer(vocabulary: vocabulary, options: options)
    }

    @Test func cleaningDropsControlsAndMapsWhitespace() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.preTokenize("a\u{0}b\u{7}c\u{200B}d\u{FFFD}e\u{FEFF}f") == ["abcdef"])
        #expect(
            tokenizer.preTokenize("one\ttwo\nthree\r\nfour\u{A0}five\u{3000}six") == [
                "one", "two", "three", "four", "five", "six",
            ])
        #expect(tokenizer.preTokenize("  \t\n ").isEmpty)
    }

    @Test func cjkIdeographsAreIsolatedButNotHangulOrKana() throws {
        // Cased, so that accent stripping leaves Hangul syllables and dakuten alone.
        var options = BertTokenizer.Options(lowercase: false)
        #expect(try Self.tokenizer(options).preTokenize("ab中文cd 한국 ひらがな") == ["ab", "中", "文", "cd", "한국", "ひらがな"])
        options.tokenizeChineseChars = false
        #expect(try Self.tokenizer(options).preTokenize("ab中文cd") == ["ab中文cd"])
    }

    @Test func punctuationIsSplitByASCIIRangeOrCategory() throws {
        let tokenizer = try Self.tokenizer()
        #expect(
            tokenizer.preTokenize("hello,world!$5^`+<=>|~") == [
                "hello", ",", "world", "!", "$", "5", "^", "`", "+", "<", "=", ">", "|", "~",
            ])
        // € and © are symbols (Sc, So), not punctuation; « and — are.
        #expect(tokenizer.preTokenize("€5 ©x «y»—z") == ["€5", "©x", "«", "y", "»", "—", "z"])
    }

    @Test func lowercasingAndAccentsFollowTheOptions() throws {
        #expect(try Self.tokenizer().preTokenize("Café NAÏVE") == ["cafe", "naive"])
        let cased = BertTokenizer.Options(lowercase: false)
        #expect(try Self.tokenizer(cased).preTokenize("Café") == ["Café"])
        let casedStripped = BertTokenizer.Options(lowercase: false, stripAccents: true)
        #expect(try Self.tokenizer(casedStripped).preTokenize("Café") == ["Cafe"])
        let lowerKeepAccents = BertTokenizer.Options(lowercase: true, stripAccents: false)
        #expect(try Self.tokenizer(lowerKeepAccents).preTokenize("Café") == ["café"])
    }

    @Test func slowAndFastDifferOnFinalSigma() throws {
        // Python's str.lower() writes a final capital sigma as "ς"; Rust lowercases it per character.
        #expect(try Self.tokenizer(.init(flavor: .slow)).tokenize("ΟΔΟΣ") == ["ο", "##δ", "##ος"])
        #expect(try Self.tokenizer(.init(flavor: .fast)).tokenize("ΟΔΟΣ") == ["ο", "##δ", "##ο", "##σ"])
    }

    @Test func wordPieceIsGreedyLongestMatchOnScalars() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokenize("unaffable") == ["un", "##aff", "##able"])
        #expect(tokenizer.tokenize("unaffablex hello") == ["[UNK]", "hello"])
        #expect(tokenizer.tokenize(String(repeating: "a", count: 100)).count == 100)
        #expect(tokenizer.tokenize(String(repeating: "a", count: 101)) == ["[UNK]"])
        // Hangul syllables decompose to jamo (NFD); WordPiece must see scalars, not one grapheme.
        #expect(tokenizer.tokenize("가") == ["ᄀ", "##ᅡ"])
    }

    @Test func specialTokensAreKeptWholeAndCaseSensitive() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokenize("a[SEP]b [MASK]") == ["a", "[SEP]", "[UNK]", "[MASK]"])
        #expect(tokenizer.tokenize("[sep]") == ["[", "sep", "]"])
        // Python only: a special token that appears once a control character is cleaned away.
        #expect(try Self.tokenizer(.init(flavor: .slow)).tokenize("[SE\u{0}P]") == ["[SEP]"])
        #expect(try Self.tokenizer(.init(flavor: .fast)).tokenize("[SE\u{0}P]") == ["[", "sep", "]"])
    }

    @Test func pairsGetTokenTypesAndPaddingIsOnTheRight() throws {
        let tokenizer = try Self.tokenizer()
        let encoding = try tokenizer.encode("hello", pair: "world !", maxLength: 8, padding: .maxLength)
        #expect(encoding.tokens == ["[CLS]", "hello", "[SEP]", "world", "!", "[SEP]", "[PAD]", "[PAD]"])
        #expect(encoding.tokenTypeIds == [0, 0, 0, 1, 1, 1, 0, 0])
        #expect(encoding.attentionMask == [1, 1, 1, 1, 1, 1, 0, 0])
        let batch = try tokenizer.encodeBatch(["hello", "hello world , !"])
        #expect(batch.map(\.count) == [6, 6])
        #expect(batch[0].attentionMask == [1, 1, 1, 0, 0, 0])
    }

    @Test func longestFirstTrimsTheLongerSequence() throws {
        let tokenizer = try Self.tokenizer()
        let first = "a a a a a a a", second = "hello hello hello"
        let encoding = try tokenizer.encode(first, pair: second, maxLength: 10)
        #expect(encoding.tokens == ["[CLS]", "a", "a", "a", "a", "[SEP]", "hello", "hello", "hello", "[SEP]"])
        let even = try tokenizer.encode(first, pair: first, maxLength: 8)
        #expect(even.tokenTypeIds == [0, 0, 0, 0, 0, 1, 1, 1])
    }

    @Test func decodeGluesPiecesAndCleansSpaces() throws {
        let tokenizer = try Self.tokenizer()
        let ids = tokenizer.convertTokensToIds(["[CLS]", "un", "##aff", "##able", ",", "hello", "!", "[SEP]"])
        #expect(tokenizer.decode(ids) == "unaffable, hello!")
        #expect(tokenizer.decode(ids, skipSpecialTokens: false) == "[CLS] unaffable, hello! [SEP]")
    }

    @Test func saveAndLoadRoundTrip() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bertsent-tok-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        for flavor in [BertTokenizer.Flavor.slow, .fast] {
            let original = try BertTokenizer(
                vocabulary: Self.vocabulary, options: .init(flavor: flavor, lowercase: false, modelMaxLength: 64))
            try original.save(to: directory)
            let loaded = try BertTokenizer(directory: directory)
            #expect(loaded.options == original.options)
            #expect(loaded.vocabulary == original.vocabulary)
            for text in ["Café hello, world!", "ΟΔΟΣ [SEP] 中文", "[SE\u{0}P]"] {
                #expect(try loaded.encode(text) == original.encode(text))
            }
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
