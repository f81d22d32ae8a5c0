import Foundation
import Testing
import BertSent

/// Every failure is a `MessageError` that names the file and field.
struct TokenizerErrorTests {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c"]

    /// A fresh folder holding `files`, removed after `body`.
    static func withFolder(_ files: [String: String], _ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bertsent-tok-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, contents) in files {
            try Data(contents.utf8).write(to: directory.appendingPathComponent(name))
        }
        try body(directory)
    }

    static func error(_ body: () throws -> Void) -> MessageError? {
        do {
            try body()
            return nil
        } catch {
            return error as? MessageError
        }
    }

    /// A valid tokenizer.json with `edit` applied to its top-level object.
    static func tokenizerJSON(_ edit: (inout [String: Any]) -> Void) throws -> String {
        var json: [String: Any] = [
            "added_tokens": [["id": 3, "content": "[SEP]", "special": true, "normalized": false]],
            "normalizer": ["type": "BertNormalizer", "clean_text": true, "lowercase": true],
            "pre_tokenizer": ["type": "BertPreTokenizer"],
            "model": ["type": "WordPiece", "unk_token": "[UNK]",
                      "vocab": Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })],
        ]
        edit(&json)
        return String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
    }

    @Test func missingVocabularyNamesTheFile() throws {
        try Self.withFolder([:]) { directory in
            let error = try #require(Self.error { _ = try BertTokenizer(directory: directory) })
            #expect(error.file?.hasSuffix("vocab.txt") == true)
        }
    }

    @Test func vocabularyWithoutSpecialTokensIsRejected() throws {
        try Self.withFolder(["vocab.txt": "[PAD]\n[UNK]\n[SEP]\na\n"]) { directory in
            let error = try #require(Self.error { _ = try BertTokenizer(directory: directory) })
            #expect(error.message.contains("[CLS]"))
        }
        for missing in ["[PAD]", "[UNK]", "[SEP]"] {
            #expect(Self.error { _ = try BertTokenizer(vocabulary: Self.vocabulary.filter { $0 != missing }) } != nil)
        }
    }

    @Test func validTokenizerJSONLoads() throws {
        try Self.withFolder(["tokenizer.json": try Self.tokenizerJSON { _ in }]) { directory in
            let tokenizer = try BertTokenizer(directory: directory)
            #expect(tokenizer.options.flavor == .fast)
            #expect(tokenizer.tokenize("A b[SEP]c") == ["a", "b", "[SEP]", "c"])
        }
    }

    /// Breaks the field named `field` of a valid tokenizer.json.
    static func breaking(_ field: String, _ json: inout [String: Any]) {
        switch field {
        case "model.type": json["model"] = ["type": "BPE", "vocab": [:]]
        case "model: missing": json["model"] = nil
        case "model.vocab": json["model"] = ["type": "WordPiece", "vocab": ["a": 5]]
        case "normalizer.type": json["normalizer"] = ["type": "NFKC"]
        case "pre_tokenizer.type": json["pre_tokenizer"] = ["type": "Whitespace"]
        case "normalizer.lowercase": json["normalizer"] = ["type": "BertNormalizer", "lowercase": "yes"]
        default: json["added_tokens"] = [["id": 1]]
        }
    }

    @Test(arguments: ["model.type", "model: missing", "model.vocab", "normalizer.type", "pre_tokenizer.type",
                      "normalizer.lowercase", "added_tokens[0]"])
    func malformedTokenizerJSONNamesTheField(field: String) throws {
        try Self.withFolder(["tokenizer.json": try Self.tokenizerJSON { Self.breaking(field, &$0) }]) { directory in
            let error = try #require(Self.error { _ = try BertTokenizer(directory: directory) })
            #expect(error.message.contains(field), "\(error)")
            #expect(error.file?.hasSuffix("tokenizer.json") == true, "\(error)")
        }
    }

    @Test func unparsableJSONNamesTheFile() throws {
        try Self.withFolder(["tokenizer.json": "{not json", "vocab.txt": Self.vocabulary.joined(separator: "\n")]) { directory in
            let error = try #require(Self.error { _ = try BertTokenizer(directory: directory) })
            #expect(error.file?.hasSuffix("tokenizer.json") == true)
        }
    }

    @Test func truncationThatCannotBeDoneThrows() throws {
        let tokenizer = try BertTokenizer(vocabulary: Self.vocabulary)
        #expect(Self.error { _ = try tokenizer.encode("a b c d", pair: "a", maxLength: 4, truncation: .onlyFirst) }
            == nil)
        #expect(Self.error { _ = try tokenizer.encode("a", pair: "a b c d", maxLength: 4, truncation: .onlyFirst) }
            != nil)
        #expect(Self.error { _ = try tokenizer.encode("a", pair: "b", maxLength: 4, truncation: .onlySecond) } == nil)
        #expect(Self.error { _ = try tokenizer.encode("a b c", maxLength: 4, truncation: .onlySecond) } != nil)
        #expect(Self.error { _ = try tokenizer.encode("a", maxLength: 1) } != nil)
        #expect(Self.error { _ = try tokenizer.encode("a", pair: "b", maxLength: 2) } != nil)
        #expect(Self.error { _ = try tokenizer.encode("a b c", maxLength: 1, truncation: .doNotTruncate) } == nil)
        #expect(Self.error { _ = try tokenizer.encodeBatch(["a", "b"], pairs: ["c"]) } != nil)
    }
}
