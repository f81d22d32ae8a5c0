import BertSentCore
import Foundation

extension BertTokenizer {
    /// Loads a Hugging Face tokenizer folder: tokenizer.json when present (fast semantics), else vocab.txt
    /// (slow semantics); tokenizer_config.json and special_tokens_map.json add the options and token names.
    /// - Parameter directory: the folder holding the tokenizer files.
    /// - Parameter flavor: `.slow` reads vocab.txt even when tokenizer.json exists; `.fast` requires
    ///   tokenizer.json; `nil` takes tokenizer.json when present.
    /// - Throws: `TokenizerError` naming the file and field that is missing, malformed or unsupported, or
    ///   the folder when the vocabulary lacks a special token; `FileError` when a file cannot be read.
    public convenience init(directory: URL, flavor: Flavor? = nil) throws {
        let configURL = directory.appendingPathComponent("tokenizer_config.json")
        let specialMapURL = directory.appendingPathComponent("special_tokens_map.json")
        let config = try TokenizerFiles.jsonObject(configURL, what: "the tokenizer config", required: false) ?? [:]
        let specialMap =
            try TokenizerFiles.jsonObject(specialMapURL, what: "the special tokens map", required: false) ?? [:]
        var options = try TokenizerFiles.options(
            config: config, at: configURL.path, specialTokensMap: specialMap, at: specialMapURL.path)
        let vocabulary: [String]
        let tokenizerURL = directory.appendingPathComponent("tokenizer.json")
        if flavor != .slow,
            let tokenizerJSON = try TokenizerFiles.jsonObject(
                tokenizerURL, what: "the tokenizer", required: flavor == .fast)
        {
            vocabulary = try TokenizerFiles.applyTokenizerJSON(tokenizerJSON, at: tokenizerURL.path, to: &options)
        } else {
            options.flavor = .slow
            vocabulary = try TokenizerFiles.readVocabulary(directory.appendingPathComponent("vocab.txt"))
        }
        do {
            try self.init(vocabulary: vocabulary, options: options)
        } catch let error as TokenizerError {
            throw error.inDirectory(directory.path)
        }
    }
}

/// Reading the files of a Hugging Face tokenizer folder.
enum TokenizerFiles {
    /// The JSON object in the file at `url`, or `nil` when the file is absent and not `required`; `what`
    /// names the file in a read error ("the tokenizer config").
    static func jsonObject(_ url: URL, what: String, required: Bool) throws -> [String: Any]? {
        guard required || FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FileError.unreadable(path: url.path, what: what, reason: FileError.reason(error))
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw TokenizerError.invalidJSON(path: url.path, reason: error.localizedDescription)
        }
        guard let object = object as? [String: Any] else {
            throw TokenizerError.invalidField(path: url.path, field: "the top level", expected: "a JSON object")
        }
        return object
    }

    /// vocab.txt: one token per line, in id order. Lines end at "\n", "\r\n" or "\r", as in Python's
    /// universal-newline `readlines()`.
    static func readVocabulary(_ url: URL) throws -> [String] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FileError.unreadable(path: url.path, what: "the vocabulary", reason: FileError.reason(error))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TokenizerError.vocabularyNotUTF8(path: url.path)
        }
        var lines: [String] = []
        var line = String.UnicodeScalarView()
        var afterCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && afterCR {
                afterCR = false
                continue
            }
            afterCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                lines.append(String(line))
                line = String.UnicodeScalarView()
            } else {
                line.append(scalar)
            }
        }
        if !line.isEmpty { lines.append(String(line)) }
        if lines.isEmpty { throw TokenizerError.emptyVocabulary(path: url.path) }
        return lines
    }

    /// Options from tokenizer_config.json (at `configPath`), with token names from special_tokens_map.json
    /// (at `mapPath`) taking precedence.
    static func options(
        config: [String: Any], at configPath: String, specialTokensMap: [String: Any], at mapPath: String
    ) throws -> BertTokenizer.Options {
        var options = BertTokenizer.Options()
        func flag(_ key: String) throws -> Bool? {
            switch config[key] {
            case nil, is NSNull: return nil
            case let value as Bool: return value
            default: throw TokenizerError.invalidField(path: configPath, field: key, expected: "true, false or null")
            }
        }
        options.lowercase = try flag("do_lower_case") ?? true
        options.stripAccents = try flag("strip_accents")
        options.tokenizeChineseChars = try flag("tokenize_chinese_chars") ?? true
        if try flag("do_basic_tokenize") == false {
            throw TokenizerError.unsupportedSetting(path: configPath, field: "do_basic_tokenize", value: false)
        }
        switch config["truncation_side"] {
        case nil, is NSNull, "right" as String: options.truncationSide = .head
        case "left" as String: options.truncationSide = .tail
        default:
            throw TokenizerError.invalidField(
                path: configPath, field: "truncation_side", expected: "\"right\" (texts lose their end) or \"left\"")
        }
        switch config["bertsent_truncation"] {
        case nil, is NSNull: break
        case "head_tail" as String:
            options.truncationSide = .headTail
            switch config["bertsent_truncation_head"] {
            case nil, is NSNull: break
            case let head as Int where head >= 0: options.truncationHeadTokens = head
            default:
                throw TokenizerError.invalidField(
                    path: configPath, field: "bertsent_truncation_head",
                    expected: "a number of tokens (0 or more) or null")
            }
        default:
            throw TokenizerError.invalidField(
                path: configPath, field: "bertsent_truncation", expected: "\"head_tail\" or null")
        }
        if let tokenizerClass = config["tokenizer_class"] as? String { options.tokenizerClass = tokenizerClass }
        options.cleansText = try flag("bertsent_clean_text") ?? true
        if let length = config["model_max_length"] as? NSNumber {
            // transformers writes int(1e30) for "no limit"; clamp it to something an Int holds.
            options.modelMaxLength = length.doubleValue >= Double(Int32.max) ? Int(Int32.max) : length.intValue
        }
        func token(_ key: String) throws -> String? {
            for (source, path) in [(specialTokensMap, mapPath), (config, configPath)] {
                switch source[key] {
                case nil, is NSNull: continue
                case let name as String: return name
                case let object as [String: Any]:
                    if let content = object["content"] as? String { return content }
                    throw TokenizerError.invalidField(path: path, field: "\(key).content", expected: "a string")
                default:
                    throw TokenizerError.invalidField(
                        path: path, field: key, expected: "a string or an object with content")
                }
            }
            return nil
        }
        options.unknownToken = try token("unk_token") ?? options.unknownToken
        options.separatorToken = try token("sep_token") ?? options.separatorToken
        options.paddingToken = try token("pad_token") ?? options.paddingToken
        options.classifierToken = try token("cls_token") ?? options.classifierToken
        options.maskToken = try token("mask_token") ?? options.maskToken
        return options
    }

    /// Reads the normalizer, pre-tokenizer, model and added tokens of tokenizer.json (at `path`) into
    /// `options`, and returns the vocabulary in id order.
    static func applyTokenizerJSON(
        _ json: [String: Any], at path: String, to options: inout BertTokenizer.Options
    ) throws -> [String] {
        options.flavor = .fast
        guard let model = json["model"] as? [String: Any] else {
            throw TokenizerError.missingField(path: path, field: "model", expected: "object")
        }
        guard let modelType = model["type"] as? String else {
            throw TokenizerError.missingField(path: path, field: "model.type", expected: "string")
        }
        guard modelType == "WordPiece" else {
            throw TokenizerError.unsupportedComponent(
                path: path, component: "model", found: modelType, supported: "WordPiece")
        }
        guard let vocab = model["vocab"] as? [String: Any] else {
            throw TokenizerError.missingField(path: path, field: "model.vocab", expected: "object")
        }
        var vocabulary = [String?](repeating: nil, count: vocab.count)
        for (token, value) in vocab {
            guard let id = (value as? NSNumber)?.intValue, vocabulary.indices.contains(id), vocabulary[id] == nil
            else { throw TokenizerError.invalidVocabularyId(path: path, token: token, count: vocab.count) }
            vocabulary[id] = token
        }
        options.unknownToken = try string(model, "unk_token", in: "model", at: path) ?? options.unknownToken
        options.continuingSubwordPrefix =
            try string(model, "continuing_subword_prefix", in: "model", at: path) ?? options.continuingSubwordPrefix
        if let limit = model["max_input_chars_per_word"] {
            guard let limit = (limit as? NSNumber)?.intValue else {
                throw TokenizerError.invalidField(
                    path: path, field: "model.max_input_chars_per_word", expected: "an integer")
            }
            options.maxInputCharsPerWord = limit
        }
        try applyNormalizer(json["normalizer"], at: path, to: &options)
        switch json["pre_tokenizer"] {
        case let preTokenizer as [String: Any] where preTokenizer["type"] as? String == "BertPreTokenizer":
            break
        case let preTokenizer as [String: Any]:
            throw TokenizerError.unsupportedComponent(
                path: path, component: "pre_tokenizer", found: "\(preTokenizer["type"] ?? "nil")",
                supported: "BertPreTokenizer")
        default:
            throw TokenizerError.unsupportedComponent(
                path: path, component: "pre_tokenizer", found: nil, supported: "BertPreTokenizer")
        }
        var complete = vocabulary.compactMap { $0 }
        options.extraAddedTokens = try addedTokens(json["added_tokens"], at: path, vocabulary: &complete)
            .filter { !options.specialTokens.contains($0) }
        return complete
    }

    private static func applyNormalizer(_ value: Any?, at path: String, to options: inout BertTokenizer.Options) throws
    {
        guard let normalizer = value as? [String: Any] else {
            throw TokenizerError.unsupportedComponent(
                path: path, component: "normalizer", found: nil, supported: "BertNormalizer")
        }
        guard normalizer["type"] as? String == "BertNormalizer" else {
            throw TokenizerError.unsupportedComponent(
                path: path, component: "normalizer", found: "\(normalizer["type"] ?? "nil")",
                supported: "BertNormalizer")
        }
        func flag(_ key: String) throws -> Bool? {
            switch normalizer[key] {
            case nil, is NSNull: return nil
            case let value as Bool: return value
            default:
                throw TokenizerError.invalidField(
                    path: path, field: "normalizer.\(key)", expected: "true, false or null")
            }
        }
        if try flag("clean_text") == false {
            throw TokenizerError.unsupportedSetting(path: path, field: "normalizer.clean_text", value: false)
        }
        options.tokenizeChineseChars = try flag("handle_chinese_chars") ?? true
        options.stripAccents = try flag("strip_accents")
        options.lowercase = try flag("lowercase") ?? true
    }

    /// The contents of `added_tokens`; tokens beyond the vocabulary are appended to it.
    private static func addedTokens(_ value: Any?, at path: String, vocabulary: inout [String]) throws -> [String] {
        guard let value, !(value is NSNull) else { return [] }
        guard let list = value as? [[String: Any]] else {
            throw TokenizerError.invalidField(path: path, field: "added_tokens", expected: "a list of objects")
        }
        return try list.enumerated().map { index, token in
            let field = "added_tokens[\(index)]"
            guard let content = token["content"] as? String, let id = (token["id"] as? NSNumber)?.intValue else {
                throw TokenizerError.invalidField(
                    path: path, field: field, expected: "an object with a string content and an integer id")
            }
            for key in ["lstrip", "rstrip", "single_word"] where token[key] as? Bool == true {
                throw TokenizerError.unsupportedSetting(path: path, field: "\(field).\(key)", value: true)
            }
            if id == vocabulary.count {
                vocabulary.append(content)
            } else if !vocabulary.indices.contains(id) || vocabulary[id] != content {
                throw TokenizerError.addedTokenMismatch(path: path, index: index, id: id, content: content)
            }
            return content
        }
    }

    private static func string(
        _ object: [String: Any], _ key: String, in parent: String, at path: String
    ) throws -> String? {
        switch object[key] {
        case nil, is NSNull: return nil
        case let value as String: return value
        default: throw TokenizerError.invalidField(path: path, field: "\(parent).\(key)", expected: "a string")
        }
    }
}
