import BertSentCore
import Foundation

extension BertTokenizer {
    /// Writes vocab.txt, tokenizer_config.json and special_tokens_map.json to `directory` (created if
    /// needed), and tokenizer.json too for a `.fast` tokenizer, so that `init(directory:)` (and Hugging Face)
    /// load the same tokenizer back.
    /// - Throws: `FileError.unwritable` naming the file that could not be written.
    public func save(to directory: URL) throws {
        try write(directory, "vocab.txt", what: "the vocabulary") { Data(vocabulary.map { $0 + "\n" }.joined().utf8) }
        let specialTokens: [String: Any] = [
            "unk_token": options.unknownToken, "sep_token": options.separatorToken,
            "pad_token": options.paddingToken, "cls_token": options.classifierToken, "mask_token": options.maskToken,
        ]
        try write(directory, "special_tokens_map.json", what: "the special tokens map") { try Self.json(specialTokens) }
        let config: [String: Any] = specialTokens.merging([
            "do_lower_case": options.lowercase, "strip_accents": options.stripAccents.map { $0 as Any } ?? NSNull(),
            "tokenize_chinese_chars": options.tokenizeChineseChars, "model_max_length": options.modelMaxLength,
            "tokenizer_class": options.tokenizerClass, "clean_up_tokenization_spaces": true,
            "truncation_side": options.truncationSide == .tail ? "left" : "right",
            "bertsent_clean_text": options.cleansText,
        ]) { $1 }
        .merging(
            options.truncationSide == .headTail
                ? [
                    "bertsent_truncation": TruncationSide.headTail.rawValue,
                    "bertsent_truncation_head": options.truncationHeadTokens.map { $0 as Any } ?? NSNull(),
                ] : [:]
        ) { $1 }
        try write(directory, "tokenizer_config.json", what: "the tokenizer config") { try Self.json(config) }
        if options.flavor == .fast {
            try write(directory, "tokenizer.json", what: "the tokenizer") { try Self.json(tokenizerJSON()) }
        }
    }

    /// The `tokenizers` description of this tokenizer (as `BertTokenizerFast.save_pretrained` writes it).
    private func tokenizerJSON() -> [String: Any] {
        let added = (options.specialTokens + options.extraAddedTokens).compactMap { token -> [String: Any]? in
            guard let id = convertTokensToIds([token]).first, vocabulary[Int(id)] == token else { return nil }
            return [
                "id": Int(id), "content": token, "single_word": false, "lstrip": false, "rstrip": false,
                "normalized": false, "special": options.specialTokens.contains(token),
            ]
        }.sorted { ($0["id"] as? Int ?? 0) < ($1["id"] as? Int ?? 0) }
        func special(_ token: String, typeId: Int) -> [String: Any] {
            ["SpecialToken": ["id": token, "type_id": typeId]]
        }
        let cls = options.classifierToken, sep = options.separatorToken
        return [
            "version": "1.0", "truncation": NSNull(), "padding": NSNull(), "added_tokens": added,
            "normalizer": [
                "type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": options.tokenizeChineseChars,
                "strip_accents": options.stripAccents.map { $0 as Any } ?? NSNull(), "lowercase": options.lowercase,
            ],
            "pre_tokenizer": ["type": "BertPreTokenizer"],
            "post_processor": [
                "type": "TemplateProcessing",
                "single": [
                    special(cls, typeId: 0), ["Sequence": ["id": "A", "type_id": 0]],
                    special(sep, typeId: 0),
                ],
                "pair": [
                    special(cls, typeId: 0), ["Sequence": ["id": "A", "type_id": 0]],
                    special(sep, typeId: 0), ["Sequence": ["id": "B", "type_id": 1]],
                    special(sep, typeId: 1),
                ],
                "special_tokens": [
                    cls: ["id": cls, "ids": [Int(clsId)], "tokens": [cls]],
                    sep: ["id": sep, "ids": [Int(sepId)], "tokens": [sep]],
                ],
            ],
            "decoder": ["type": "WordPiece", "prefix": options.continuingSubwordPrefix, "cleanup": true],
            "model": [
                "type": "WordPiece", "unk_token": options.unknownToken,
                "continuing_subword_prefix": options.continuingSubwordPrefix,
                "max_input_chars_per_word": options.maxInputCharsPerWord,
                "vocab": Dictionary(vocabulary.enumerated().map { ($1, $0) }, uniquingKeysWith: { $1 }),
            ],
        ]
    }

    private static func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// Writes `contents` to `name` in `directory`; `what` names the file in an error ("the vocabulary").
    private func write(_ directory: URL, _ name: String, what: String, _ contents: () throws -> Data) throws {
        let url = directory.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try contents().write(to: url, options: .atomic)
        } catch {
            throw FileError.unwritable(path: url.path, what: what, reason: FileError.reason(error))
        }
    }
}
