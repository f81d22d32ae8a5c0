import BertSentCore
import Foundation

extension BertTokenizer {
    /// Loads a Hugging Face tokenizer folder: tokenizer.json when present (fast semantics), else vocab.txt
    /// (slow semantics); tokenizer_config.json and special_tokens_map.json add the options and token names.
    /// - Parameter flavor: `.slow` reads vocab.txt even when tokenizer.json exists; `.fast` requires
    ///   tokenizer.json; `nil` takes tokenizer.json when present.
    /// - Throws: `MessageError` naming the file and field that is missing, malformed or unsupported.
    public convenience init(directory: URL, flavor: Flavor? = nil) throws {
        let config = try TokenizerFiles.jsonObject(directory, "tokenizer_config.json", required: false) ?? [:]
        let specialMap = try TokenizerFiles.jsonObject(directory, "special_tokens_map.json", required: false) ?? [:]
        var options = try TokenizerFiles.options(config: config, specialTokensMap: specialMap)
        let vocabulary: [String]
        if flavor != .slow,
           let tokenizerJSON = try TokenizerFiles.jsonObject(directory, "tokenizer.json", required: flavor == .fast) {
            do {
                vocabulary = try TokenizerFiles.applyTokenizerJSON(tokenizerJSON, to: &options)
            } catch let error as MessageError {
                throw error.inFile(directory.appendingPathComponent("tokenizer.json").path)
            }
        } else {
            options.flavor = .slow
            vocabulary = try TokenizerFiles.readVocabulary(directory.appendingPathComponent("vocab.txt"))
        }
        do {
            try self.init(vocabulary: vocabulary, options: options)
        } catch let error as MessageError {
            throw error.inFile(directory.path)
        }
    }
}

/// Reading the files of a Hugging Face tokenizer folder.
enum TokenizerFiles {
    /// The JSON object in `name`, or `nil` when the file is absent and not `required`.
    static func jsonObject(_ directory: URL, _ name: String, required: Bool) throws -> [String: Any]? {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            if required { throw MessageError("file not found", file: url.path) }
            return nil
        }
        do {
            let data = try Data(contentsOf: url)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw MessageError("expected a JSON object at the top level", file: url.path)
            }
            return object
        } catch let error as MessageError {
            throw error
        } catch {
            throw MessageError("cannot read JSON: \(error.localizedDescription)", file: url.path)
        }
    }

    /// vocab.txt: one token per line, in id order. Lines end at "\n", "\r\n" or "\r", as in Python's
    /// universal-newline `readlines()`.
    static func readVocabulary(_ url: URL) throws -> [String] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MessageError("cannot read the vocabulary: \(error.localizedDescription)", file: url.path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw MessageError("the vocabulary is not valid UTF-8", file: url.path)
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
        if lines.isEmpty { throw MessageError("the vocabulary is empty", file: url.path) }
        return lines
    }

    /// Options from tokenizer_config.json, with token names from special_tokens_map.json taking precedence.
    static func options(config: [String: Any], specialTokensMap: [String: Any]) throws -> BertTokenizer.Options {
        var options = BertTokenizer.Options()
        func flag(_ key: String) throws -> Bool? {
            switch config[key] {
            case nil, is NSNull: return nil
            case let value as Bool: return value
            default: throw MessageError("tokenizer_config.json: \(key) must be true, false or null")
            }
        }
        options.lowercase = try flag("do_lower_case") ?? true
        options.stripAccents = try flag("strip_accents")
        options.tokenizeChineseChars = try flag("tokenize_chinese_chars") ?? true
        if try flag("do_basic_tokenize") == false {
            throw MessageError("tokenizer_config.json: do_basic_tokenize false is not supported")
        }
        if let length = config["model_max_length"] as? NSNumber {
            // transformers writes int(1e30) for "no limit"; clamp it to something an Int holds.
            options.modelMaxLength = length.doubleValue >= Double(Int32.max) ? Int(Int32.max) : length.intValue
        }
        func token(_ key: String) throws -> String? {
            for source in [specialTokensMap, config] {
                switch source[key] {
                case nil, is NSNull: continue
                case let name as String: return name
                case let object as [String: Any]:
                    if let content = object["content"] as? String { return content }
                    throw MessageError("\(key).content must be a string")
                default: throw MessageError("\(key) must be a string or an object with content")
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

    /// Reads the normalizer, pre-tokenizer, model and added tokens of tokenizer.json into `options`, and
    /// returns the vocabulary in id order.
    static func applyTokenizerJSON(_ json: [String: Any], to options: inout BertTokenizer.Options) throws -> [String] {
        options.flavor = .fast
        guard let model = json["model"] as? [String: Any] else { throw MessageError("model: missing object") }
        guard let modelType = model["type"] as? String else { throw MessageError("model.type: missing") }
        guard modelType == "WordPiece" else {
            throw MessageError("model.type \"\(modelType)\" is not supported (only WordPiece)")
        }
        guard let vocab = model["vocab"] as? [String: Any] else { throw MessageError("model.vocab: missing object") }
        var vocabulary = [String?](repeating: nil, count: vocab.count)
        for (token, value) in vocab {
            guard let id = (value as? NSNumber)?.intValue, vocabulary.indices.contains(id), vocabulary[id] == nil
            else { throw MessageError("model.vocab[\"\(token)\"]: ids must be 0..<\(vocab.count), each once") }
            vocabulary[id] = token
        }
        options.unknownToken = try string(model, "unk_token", in: "model") ?? options.unknownToken
        options.continuingSubwordPrefix =
            try string(model, "continuing_subword_prefix", in: "model") ?? options.continuingSubwordPrefix
        if let limit = model["max_input_chars_per_word"] {
            guard let limit = (limit as? NSNumber)?.intValue else {
                throw MessageError("model.max_input_chars_per_word must be an integer")
            }
            options.maxInputCharsPerWord = limit
        }
        try applyNormalizer(json["normalizer"], to: &options)
        switch json["pre_tokenizer"] {
        case let preTokenizer as [String: Any] where preTokenizer["type"] as? String == "BertPreTokenizer":
            break
        case let preTokenizer as [String: Any]:
            throw MessageError(
                "pre_tokenizer.type \"\(preTokenizer["type"] ?? "nil")\" is not supported (only BertPreTokenizer)")
        default:
            throw MessageError("pre_tokenizer: missing object (only BertPreTokenizer is supported)")
        }
        var complete = vocabulary.compactMap { $0 }
        options.extraAddedTokens = try addedTokens(json["added_tokens"], vocabulary: &complete)
            .filter { !options.specialTokens.contains($0) }
        return complete
    }

    private static func applyNormalizer(_ value: Any?, to options: inout BertTokenizer.Options) throws {
        guard let normalizer = value as? [String: Any] else {
            throw MessageError("normalizer: missing object (only BertNormalizer is supported)")
        }
        guard normalizer["type"] as? String == "BertNormalizer" else {
            throw MessageError(
                "normalizer.type \"\(normalizer["type"] ?? "nil")\" is not supported (only BertNormalizer)")
        }
        func flag(_ key: String) throws -> Bool? {
            switch normalizer[key] {
            case nil, is NSNull: return nil
            case let value as Bool: return value
            default: throw MessageError("normalizer.\(key) must be true, false or null")
            }
        }
        if try flag("clean_text") == false {
            throw MessageError("normalizer.clean_text false is not supported")
        }
        options.tokenizeChineseChars = try flag("handle_chinese_chars") ?? true
        options.stripAccents = try flag("strip_accents")
        options.lowercase = try flag("lowercase") ?? true
    }

    /// The contents of `added_tokens`; tokens beyond the vocabulary are appended to it.
    private static func addedTokens(_ value: Any?, vocabulary: inout [String]) throws -> [String] {
        guard let value, !(value is NSNull) else { return [] }
        guard let list = value as? [[String: Any]] else { throw MessageError("added_tokens must be a list of objects") }
        return try list.enumerated().map { index, token in
            let field = "added_tokens[\(index)]"
            guard let content = token["content"] as? String, let id = (token["id"] as? NSNumber)?.intValue else {
                throw MessageError("\(field): needs a string content and an integer id")
            }
            for key in ["lstrip", "rstrip", "single_word"] where token[key] as? Bool == true {
                throw MessageError("\(field).\(key) true is not supported")
            }
            if id == vocabulary.count {
                vocabulary.append(content)
            } else if !vocabulary.indices.contains(id) || vocabulary[id] != content {
                throw MessageError("\(field): id \(id) does not hold \"\(content)\" in model.vocab")
            }
            return content
        }
    }

    private static func string(_ object: [String: Any], _ key: String, in parent: String) throws -> String? {
        switch object[key] {
        case nil, is NSNull: return nil
        case let value as String: return value
        default: throw MessageError("\(parent).\(key) must be a string")
        }
    }
}
