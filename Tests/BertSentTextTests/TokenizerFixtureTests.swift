import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Golden fixtures from tools/fixtures/tokenizer_fixtures.py: every case must match the Hugging Face
/// tokenizer of the same flavor exactly (ids, token types, masks, tokens).
@Suite(.tags(.defaultModel))
struct TokenizerFixtureTests {
    struct Expected: Decodable, Equatable {
        var tokens: [String]
        var input_ids: [Int32]
        var token_type_ids: [Int32]
        var attention_mask: [Int32]

        init(_ encoding: Encoding) {
            tokens = encoding.tokens
            input_ids = encoding.ids
            token_type_ids = encoding.tokenTypeIds
            attention_mask = encoding.attentionMask
        }
    }

    /// A value stored once when both references agree, else per flavor.
    struct PerFlavor<Value: Decodable & Sendable>: Decodable {
        var expected: Value?
        var slow: Value?
        var fast: Value?

        func value(_ flavor: BertTokenizer.Flavor) -> Value? { expected ?? (flavor == .slow ? slow : fast) }
        var differs: Bool { expected == nil }
    }

    struct EncodeCase: Decodable {
        var text: String
        var pair: String?
        var max_length: Int?
        var truncation: String
        var padding: String
    }

    struct BatchCase: Decodable {
        var texts: [String]
        var pairs: [String]?
        var max_length: Int?
        var truncation: String
        var padding: String
    }

    struct DecodeCase: Decodable {
        var ids: [Int32]
        var skip_special_tokens: Bool
    }

    /// Decodes a case and its expectation from the same JSON object.
    struct Entry<Case: Decodable, Value: Decodable & Sendable>: Decodable {
        var input: Case
        var output: PerFlavor<Value>

        init(from decoder: Decoder) throws {
            input = try Case(from: decoder)
            output = try PerFlavor(from: decoder)
        }
    }

    struct Fixture: Decodable {
        var encode: [Entry<EncodeCase, Expected>]
        var batch: [Entry<BatchCase, [Expected]>]?
        var decode: [Entry<DecodeCase, String>]?
    }

    static func load(_ name: String) throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Fixtures.url("tokenizer/\(name)")))
    }

    static func padding(_ name: String) throws -> PaddingStrategy {
        switch name {
        case "do_not_pad": return .doNotPad
        case "longest": return .longest
        case "max_length": return .maxLength
        default: throw TokenizerTestFailure("unknown padding \(name)")
        }
    }

    static func truncation(_ name: String) throws -> TruncationStrategy {
        guard let strategy = TruncationStrategy(rawValue: name) else {
            throw TokenizerTestFailure("unknown truncation \(name)")
        }
        return strategy
    }

    /// Every mismatch between `tokenizer` and the encode cases of `fixture`, one line each.
    static func encodeMismatches(_ fixture: Fixture, _ tokenizer: BertTokenizer) throws -> [String] {
        try fixture.encode.enumerated().compactMap { index, entry in
            let input = entry.input
            let want = try #require(entry.output.value(tokenizer.options.flavor))
            let got = try tokenizer.encode(
                input.text, pair: input.pair, maxLength: input.max_length,
                truncation: truncation(input.truncation), padding: padding(input.padding))
            return Expected(got) == want
                ? nil
                : "encode[\(index)] \(input.text.debugDescription.prefix(80)): got \(got.tokens), want \(want.tokens)"
        }
    }

    @Test(arguments: [BertTokenizer.Flavor.slow, .fast])
    func defaultModelEncodings(flavor: BertTokenizer.Flavor) throws {
        let fixture = try Self.load("minilm_uncased.json")
        let tokenizer = try BertTokenizer(directory: Fixtures.defaultModel, flavor: flavor)
        #expect(tokenizer.options.flavor == flavor)
        #expect(fixture.encode.count >= 300)
        let mismatches = try Self.encodeMismatches(fixture, tokenizer)
        #expect(
            mismatches.isEmpty, "\(mismatches.count) of \(fixture.encode.count):\n\(mismatches.joined(separator: "\n"))"
        )
    }

    @Test(arguments: [BertTokenizer.Flavor.slow, .fast])
    func defaultModelBatches(flavor: BertTokenizer.Flavor) throws {
        let fixture = try Self.load("minilm_uncased.json")
        let tokenizer = try BertTokenizer(directory: Fixtures.defaultModel, flavor: flavor)
        let batches = try #require(fixture.batch)
        #expect(!batches.isEmpty)
        for (index, entry) in batches.enumerated() {
            let input = entry.input
            let want = try #require(entry.output.value(flavor))
            let got = try tokenizer.encodeBatch(
                input.texts, pairs: input.pairs, maxLength: input.max_length,
                truncation: Self.truncation(input.truncation), padding: Self.padding(input.padding))
            #expect(got.map(Expected.init) == want, "batch[\(index)]")
        }
    }

    @Test(arguments: [BertTokenizer.Flavor.slow, .fast])
    func defaultModelDecoding(flavor: BertTokenizer.Flavor) throws {
        let fixture = try Self.load("minilm_uncased.json")
        let tokenizer = try BertTokenizer(directory: Fixtures.defaultModel, flavor: flavor)
        let cases = try #require(fixture.decode)
        let mismatches = try cases.enumerated().compactMap { index, entry -> String? in
            let want = try #require(entry.output.value(flavor))
            let got = tokenizer.decode(entry.input.ids, skipSpecialTokens: entry.input.skip_special_tokens)
            return got == want
                ? nil
                : "decode[\(index)] \(entry.input.ids): got \(got.debugDescription), want \(want.debugDescription)"
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(cases.count):\n\(mismatches.joined(separator: "\n"))")
    }

    @Test(arguments: [("cased", BertTokenizer.Flavor.slow), ("cased-fast", .fast)])
    func casedVocabulary(folder: String, flavor: BertTokenizer.Flavor) throws {
        let fixture = try Self.load("cased.json")
        let tokenizer = try BertTokenizer(directory: Fixtures.url("tokenizer/\(folder)"))
        #expect(tokenizer.options.flavor == flavor)
        #expect(!tokenizer.options.lowercase)
        #expect(tokenizer.modelMaxLength == 128)
        let mismatches = try Self.encodeMismatches(fixture, tokenizer)
        #expect(
            mismatches.isEmpty, "\(mismatches.count) of \(fixture.encode.count):\n\(mismatches.joined(separator: "\n"))"
        )
    }

    /// The ids of "x" + code point + "y", with `fast` only where the fast tokenizer differs.
    struct CodepointFixture: Decodable {
        struct Entry: Decodable {
            var cp: UInt32
            var ids: [Int32]
            var fast: [Int32]?
        }

        var codepoints: [Entry]
    }

    @Test(arguments: [BertTokenizer.Flavor.slow, .fast])
    func singleCodePoints(flavor: BertTokenizer.Flavor) throws {
        let url = Fixtures.url("tokenizer/codepoints.json")
        let fixture = try JSONDecoder().decode(CodepointFixture.self, from: Data(contentsOf: url))
        let tokenizer = try BertTokenizer(directory: Fixtures.defaultModel, flavor: flavor)
        #expect(fixture.codepoints.count > 1000)
        let mismatches = try fixture.codepoints.compactMap { entry -> String? in
            let value = try #require(Unicode.Scalar(entry.cp))
            let want = flavor == .slow ? entry.ids : entry.fast ?? entry.ids
            let got = tokenizer.convertTokensToIds(tokenizer.tokenize("x\(value)y"))
            return got == want ? nil : "U+\(String(value.value, radix: 16, uppercase: true)): got \(got), want \(want)"
        }
        #expect(
            mismatches.isEmpty,
            "\(mismatches.count) of \(fixture.codepoints.count):\n\(mismatches.joined(separator: "\n"))")
    }

    /// The fixtures must exercise the places where the two references disagree.
    @Test func fixturesRecordSlowFastDifferences() throws {
        let fixture = try Self.load("minilm_uncased.json")
        #expect(fixture.encode.contains { $0.output.differs })
        #expect(try Self.load("cased.json").encode.contains { $0.output.differs })
    }
}
