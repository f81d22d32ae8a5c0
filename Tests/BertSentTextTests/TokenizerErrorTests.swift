import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Every failure is a `TokenizerError` case that carries the file and field (or a `FileError` for a file
/// that cannot be read); its message names them.
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

    /// A valid tokenizer.json with `edit` applied to its top-level object.
    static func tokenizerJSON(_ edit: (inout [String: Any]) -> Void) throws -> String {
        var json: [String: Any] = [
            "added_tokens": [["id": 3, "content": "[SEP]", "special": true, "normalized": false]],
            "normalizer": ["type": "BertNormalizer", "clean_text": true, "lowercase": true],
            "pre_tokenizer": ["type": "BertPreTokenizer"],
            "model": [
                "type": "WordPiece", "unk_token": "[UNK]",
                "vocab": Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) }),
            ],
        ]
        edit(&json)
        return String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
    }

    @Test func missingVocabularyNamesTheFile() throws {
        try Self.withFolder([:]) { directory in
            let error = try #require(throws: FileError.self) { try BertTokenizer(directory: directory) }
            guard case .unreadable(let path, "the vocabulary", _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(path == directory.appendingPathComponent("vocab.txt").path)
            #expect(error.description.hasPrefix(path))
        }
    }

    @Test func aFastTokenizerNeedsTokenizerJSON() throws {
        try Self.withFolder(["vocab.txt": Self.vocabulary.joined(separator: "\n")]) { directory in
            #expect(try BertTokenizer(directory: directory).options.flavor == .slow)
            let error = try #require(throws: FileError.self) { try BertTokenizer(directory: directory, flavor: .fast) }
            guard case .unreadable(let path, _, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(path == directory.appendingPathComponent("tokenizer.json").path)
        }
    }

    @Test func anEmptyOrNonUTF8VocabularyIsNamed() throws {
        try Self.withFolder(["vocab.txt": ""]) { directory in
            let path = directory.appendingPathComponent("vocab.txt").path
            #expect(throws: TokenizerError.emptyVocabulary(path: path)) { try BertTokenizer(directory: directory) }
            try Data([0x61, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
            #expect(throws: TokenizerError.vocabularyNotUTF8(path: path)) { try BertTokenizer(directory: directory) }
        }
    }

    @Test func vocabularyWithoutSpecialTokensIsRejected() throws {
        try Self.withFolder(["vocab.txt": "[PAD]\n[UNK]\n[SEP]\na\n"]) { directory in
            let error = try #require(throws: TokenizerError.self) { try BertTokenizer(directory: directory) }
            #expect(error == .missingSpecialToken(path: directory.path, role: "classifier", token: "[CLS]"))
            #expect(error.description.contains("[CLS]") && error.description.hasPrefix(directory.path))
        }
        for (missing, role) in [("[PAD]", "padding"), ("[UNK]", "unknown"), ("[SEP]", "separator")] {
            #expect(throws: TokenizerError.missingSpecialToken(path: nil, role: role, token: missing)) {
                try BertTokenizer(vocabulary: Self.vocabulary.filter { $0 != missing })
            }
        }
    }

    @Test func nonPositiveLimitsAreRejected() throws {
        #expect(throws: TokenizerError.nonPositiveLimit(path: nil, maxInputCharsPerWord: 0, modelMaxLength: 512)) {
            try BertTokenizer(vocabulary: Self.vocabulary, options: .init(maxInputCharsPerWord: 0))
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
        case "normalizer.clean_text": json["normalizer"] = ["type": "BertNormalizer", "clean_text": false]
        case "added_tokens[1]": json["added_tokens"] = [["id": 3, "content": "[SEP]"], ["id": 2, "content": "[SEP]"]]
        case "added_tokens[0].lstrip": json["added_tokens"] = [["id": 3, "content": "[SEP]", "lstrip": true]]
        default: json["added_tokens"] = [["id": 1]]
        }
    }

    /// The error `breaking(field, _)` leads to, for the tokenizer.json at `path`.
    static func expectedError(_ field: String, path: String) -> TokenizerError {
        switch field {
        case "model.type": .unsupportedComponent(path: path, component: "model", found: "BPE", supported: "WordPiece")
        case "model: missing": .missingField(path: path, field: "model", expected: "object")
        case "model.vocab": .invalidVocabularyId(path: path, token: "a", count: 1)
        case "normalizer.type":
            .unsupportedComponent(path: path, component: "normalizer", found: "NFKC", supported: "BertNormalizer")
        case "pre_tokenizer.type":
            .unsupportedComponent(
                path: path, component: "pre_tokenizer", found: "Whitespace", supported: "BertPreTokenizer")
        case "normalizer.lowercase":
            .invalidField(path: path, field: "normalizer.lowercase", expected: "true, false or null")
        case "normalizer.clean_text": .unsupportedSetting(path: path, field: "normalizer.clean_text", value: false)
        case "added_tokens[1]": .addedTokenMismatch(path: path, index: 1, id: 2, content: "[SEP]")
        case "added_tokens[0].lstrip": .unsupportedSetting(path: path, field: "added_tokens[0].lstrip", value: true)
        default:
            .invalidField(
                path: path, field: "added_tokens[0]", expected: "an object with a string content and an integer id")
        }
    }

    @Test(arguments: [
        "model.type", "model: missing", "model.vocab", "normalizer.type", "pre_tokenizer.type",
        "normalizer.lowercase", "normalizer.clean_text", "added_tokens[1]", "added_tokens[0].lstrip",
        "added_tokens[0]",
    ])
    func malformedTokenizerJSONNamesTheField(field: String) throws {
        try Self.withFolder(["tokenizer.json": try Self.tokenizerJSON { Self.breaking(field, &$0) }]) { directory in
            let path = directory.appendingPathComponent("tokenizer.json").path
            let error = try #require(throws: TokenizerError.self) { try BertTokenizer(directory: directory) }
            #expect(error == Self.expectedError(field, path: path))
            #expect(error.description.hasPrefix("\(path): ") && error.description.contains(field), "\(error)")
        }
    }

    @Test func malformedConfigFieldsNameTheirFile() throws {
        let vocab = Self.vocabulary.joined(separator: "\n")
        try Self.withFolder(["vocab.txt": vocab, "tokenizer_config.json": #"{"do_lower_case": "yes"}"#]) { directory in
            let path = directory.appendingPathComponent("tokenizer_config.json").path
            #expect(
                throws: TokenizerError.invalidField(path: path, field: "do_lower_case", expected: "true, false or null")
            ) {
                try BertTokenizer(directory: directory)
            }
        }
        try Self.withFolder(["vocab.txt": vocab, "tokenizer_config.json": #"{"do_basic_tokenize": false}"#]) {
            directory in
            let path = directory.appendingPathComponent("tokenizer_config.json").path
            let error = try #require(throws: TokenizerError.self) { try BertTokenizer(directory: directory) }
            #expect(error == .unsupportedSetting(path: path, field: "do_basic_tokenize", value: false))
            #expect(error.description == "\(path): do_basic_tokenize false is not supported")
        }
        try Self.withFolder(["vocab.txt": vocab, "special_tokens_map.json": #"{"cls_token": {"content": 1}}"#]) {
            directory in
            let path = directory.appendingPathComponent("special_tokens_map.json").path
            #expect(throws: TokenizerError.invalidField(path: path, field: "cls_token.content", expected: "a string")) {
                try BertTokenizer(directory: directory)
            }
        }
        try Self.withFolder(["vocab.txt": vocab, "special_tokens_map.json": "[1]"]) { directory in
            let path = directory.appendingPathComponent("special_tokens_map.json").path
            #expect(throws: TokenizerError.invalidField(path: path, field: "the top level", expected: "a JSON object"))
            {
                try BertTokenizer(directory: directory)
            }
        }
    }

    @Test func unparsableJSONNamesTheFile() throws {
        try Self.withFolder(["tokenizer.json": "{not json", "vocab.txt": Self.vocabulary.joined(separator: "\n")]) {
            directory in
            let error = try #require(throws: TokenizerError.self) { try BertTokenizer(directory: directory) }
            guard case .invalidJSON(let path, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(path == directory.appendingPathComponent("tokenizer.json").path)
            #expect(error.description.hasPrefix("\(path): cannot read JSON"))
        }
    }

    @Test func truncationThatCannotBeDoneThrows() throws {
        let tokenizer = try BertTokenizer(vocabulary: Self.vocabulary)
        _ = try tokenizer.encode("a b c d", pair: "a", maxLength: 4, truncation: .onlyFirst)
        #expect(throws: TokenizerError.cannotTruncate(maxLength: 4, strategy: .onlyFirst, available: 1, excess: 4)) {
            try tokenizer.encode("a", pair: "a b c d", maxLength: 4, truncation: .onlyFirst)
        }
        _ = try tokenizer.encode("a", pair: "b", maxLength: 4, truncation: .onlySecond)
        let onlySecond = try #require(throws: TokenizerError.self) {
            try tokenizer.encode("a b c", maxLength: 4, truncation: .onlySecond)
        }
        #expect(onlySecond == .cannotTruncate(maxLength: 4, strategy: .onlySecond, available: 0, excess: 1))
        #expect(
            onlySecond.description
                == "cannot truncate to maxLength 4 with only_second: the second sequence has 0 tokens but 1 must go")
        #expect(throws: TokenizerError.maxLengthTooSmall(maxLength: 1, specialTokens: 2)) {
            try tokenizer.encode("a", maxLength: 1)
        }
        #expect(throws: TokenizerError.maxLengthTooSmall(maxLength: 2, specialTokens: 3)) {
            try tokenizer.encode("a", pair: "b", maxLength: 2)
        }
        _ = try tokenizer.encode("a b c", maxLength: 1, truncation: .doNotTruncate)
        #expect(throws: TokenizerError.pairCountMismatch(texts: 2, pairs: 1)) {
            try tokenizer.encodeBatch(["a", "b"], pairs: ["c"])
        }
    }

    @Test func anUnwritableFolderIsNamed() throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("bertsent-tok-\(UUID())")
        try Data("x".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        let tokenizer = try BertTokenizer(vocabulary: Self.vocabulary)
        let error = try #require(throws: FileError.self) {
            try tokenizer.save(to: blocker.appendingPathComponent("tok"))
        }
        guard case .unwritable(let path, "the vocabulary", _) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(path == blocker.appendingPathComponent("tok/vocab.txt").path)
    }
}
