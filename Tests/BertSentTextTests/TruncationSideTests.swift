import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Which tokens each truncation side keeps, for single texts and pairs, and that the side is saved with
/// the tokenizer (Hugging Face's `truncation_side`, bertsent's `bertsent_truncation`) and read back.
struct TruncationSideTests {
    /// Ten distinct words, so every kept position is visible.
    static let words = ["w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9"]
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words

    static func tokenizer(_ side: TruncationSide, head: Int? = nil) throws -> BertTokenizer {
        try BertTokenizer(
            vocabulary: vocabulary, options: .init(truncationSide: side, truncationHeadTokens: head))
    }

    /// The words an encoding of all ten keeps, at `maxLength` (two special tokens).
    func kept(_ side: TruncationSide, head: Int? = nil, maxLength: Int) throws -> [String] {
        let encoding = try Self.tokenizer(side, head: head).encode(
            Self.words.joined(separator: " "), maxLength: maxLength)
        #expect(encoding.tokens.first == "[CLS]" && encoding.tokens.last == "[SEP]")
        return Array(encoding.tokens.dropFirst().dropLast())
    }

    @Test func eachSideKeepsItsTokens() throws {
        #expect(try kept(.head, maxLength: 8) == ["w0", "w1", "w2", "w3", "w4", "w5"])
        #expect(try kept(.tail, maxLength: 8) == ["w4", "w5", "w6", "w7", "w8", "w9"])
        #expect(try kept(.headTail, head: 2, maxLength: 8) == ["w0", "w1", "w6", "w7", "w8", "w9"])
        // By default head_tail keeps a quarter of the budget from the start: 2 of 6 here (128 of 510 at 512).
        #expect(try kept(.headTail, maxLength: 8) == ["w0", "w1", "w6", "w7", "w8", "w9"])
        #expect(try kept(.headTail, maxLength: 6) == ["w0", "w7", "w8", "w9"])
        // A head as long as the budget keeps only the head; 0 keeps only the tail.
        #expect(try kept(.headTail, head: 6, maxLength: 8) == ["w0", "w1", "w2", "w3", "w4", "w5"])
        #expect(try kept(.headTail, head: 0, maxLength: 8) == ["w4", "w5", "w6", "w7", "w8", "w9"])
        // Texts that fit are never cut.
        for side in TruncationSide.allCases {
            #expect(try kept(side, head: 3, maxLength: 12) == Self.words)
        }
    }

    @Test func pairsAreCutOnTheSameSide() throws {
        let first = "w0 w1 w2 w3 w4 w5", second = "w6 w7 w8 w9"
        let tail = try Self.tokenizer(.tail).encode(first, pair: second, maxLength: 9)
        // longest_first: the first text keeps ⌈6/2⌉ = 3 tokens, the second the other 3 — from their ends.
        #expect(tail.tokens == ["[CLS]", "w3", "w4", "w5", "[SEP]", "w7", "w8", "w9", "[SEP]"])
        let head = try Self.tokenizer(.head).encode(first, pair: second, maxLength: 9)
        #expect(head.tokens == ["[CLS]", "w0", "w1", "w2", "[SEP]", "w6", "w7", "w8", "[SEP]"])
    }

    @Test func theSideIsSavedWithTheTokenizerAndReadBack() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (side, head, expectedSide) in [
            (TruncationSide.head, Int?.none, "right"), (.tail, nil, "left"), (.headTail, 3, "right"),
            (.headTail, nil, "right"),
        ] {
            try Self.tokenizer(side, head: head).save(to: directory)
            let data = try Data(contentsOf: directory.appendingPathComponent("tokenizer_config.json"))
            let config = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(config["truncation_side"] as? String == expectedSide)
            #expect(config["bertsent_truncation"] as? String == (side == .headTail ? "head_tail" : nil))
            let loaded = try BertTokenizer(directory: directory)
            #expect(loaded.options.truncationSide == side)
            #expect(loaded.options.truncationHeadTokens == head)
        }
    }

    @Test func anUnknownSideIsRefusedByField() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.tokenizer(.head).save(to: directory)
        let url = directory.appendingPathComponent("tokenizer_config.json")
        let original = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        for (field, value) in [
            ("truncation_side", "middle" as Any), ("bertsent_truncation", "both"), ("bertsent_truncation_head", -1),
        ] {
            var config = original
            config["bertsent_truncation"] = "head_tail"
            config[field] = value
            try JSONSerialization.data(withJSONObject: config).write(to: url)
            #expect {
                _ = try BertTokenizer(directory: directory)
            } throws: { error in
                "\(error)".contains(field) && "\(error)".contains("tokenizer_config.json")
            }
        }
    }
}
