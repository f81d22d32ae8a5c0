import BertSentCore

/// A tokenizer cannot be built or cannot encode: a tokenizer file (vocab.txt, tokenizer.json,
/// tokenizer_config.json, special_tokens_map.json) is malformed or asks for what is not implemented, the
/// vocabulary lacks a special token, or a truncation request cannot be met. Reading and writing the files
/// fail with `FileError`.
public enum TokenizerError: BertSentError, Equatable {
    /// The file at `path` is not JSON; `reason` is the parser's account.
    case invalidJSON(path: String, reason: String)
    /// The vocabulary file at `path` is not valid UTF-8.
    case vocabularyNotUTF8(path: String)
    /// The vocabulary file at `path` holds no tokens.
    case emptyVocabulary(path: String)
    /// `field` of the file at `path` is absent (or not of its kind); `expected` is that kind ("object").
    case missingField(path: String, field: String, expected: String)
    /// `field` of the file at `path` holds the wrong kind of value; `expected` says what it must be.
    case invalidField(path: String, field: String, expected: String)
    /// `component` ("model", "normalizer") is absent (`found` nil) or of a `type` other than `supported`.
    case unsupportedComponent(path: String, component: String, found: String?, supported: String)
    /// The flag `field` is set to `value`, which this tokenizer does not implement.
    case unsupportedSetting(path: String, field: String, value: Bool)
    /// model.vocab gives `token` an id outside 0..<`count`, or one another token already has.
    case invalidVocabularyId(path: String, token: String, count: Int)
    /// added_tokens[`index`] says `content` has `id`, but model.vocab holds another token there.
    case addedTokenMismatch(path: String, index: Int, id: Int, content: String)
    /// The vocabulary (of the folder at `path`, when loaded from one) has no `token` for `role` ("classifier").
    case missingSpecialToken(path: String?, role: String, token: String)
    /// `maxInputCharsPerWord` or `modelMaxLength` (of the folder at `path`, when loaded from one) is not positive.
    case nonPositiveLimit(path: String?, maxInputCharsPerWord: Int, modelMaxLength: Int)
    /// `maxLength` leaves no room for the `specialTokens` an encoding of this input needs.
    case maxLengthTooSmall(maxLength: Int, specialTokens: Int)
    /// `strategy` may only cut one sequence, which has `available` tokens, but `excess` must go.
    case cannotTruncate(maxLength: Int, strategy: TruncationStrategy, available: Int, excess: Int)
    /// `encodeBatch` got `pairs` pairs for `texts` texts.
    case pairCountMismatch(texts: Int, pairs: Int)

    public var category: ErrorCategory { .invalidInput }

    public var description: String {
        switch self {
        case .invalidJSON(let path, let reason):
            "\(path): cannot read JSON: \(reason)"
        case .vocabularyNotUTF8(let path):
            "\(path): the vocabulary is not valid UTF-8"
        case .emptyVocabulary(let path):
            "\(path): the vocabulary is empty"
        case .missingField(let path, let field, let expected):
            "\(path): \(field): missing \(expected)"
        case .invalidField(let path, let field, let expected):
            "\(path): \(field) must be \(expected)"
        case .unsupportedComponent(let path, let component, nil, let supported):
            "\(path): \(component): missing object (only \(supported) is supported)"
        case .unsupportedComponent(let path, let component, let found?, let supported):
            "\(path): \(component).type \"\(found)\" is not supported (only \(supported))"
        case .unsupportedSetting(let path, let field, let value):
            "\(path): \(field) \(value) is not supported"
        case .invalidVocabularyId(let path, let token, let count):
            "\(path): model.vocab[\"\(token)\"]: ids must be 0..<\(count), each once"
        case .addedTokenMismatch(let path, let index, let id, let content):
            "\(path): added_tokens[\(index)]: id \(id) does not hold \"\(content)\" in model.vocab"
        case .missingSpecialToken(let path, let role, let token):
            Self.prefix(path) + "the vocabulary has no \(role) token \"\(token)\""
        case .nonPositiveLimit(let path, let maxInputCharsPerWord, let modelMaxLength):
            Self.prefix(path) + "maxInputCharsPerWord and modelMaxLength must be positive, got "
                + "\(maxInputCharsPerWord) and \(modelMaxLength)"
        case .maxLengthTooSmall(let maxLength, let specialTokens):
            "maxLength \(maxLength) is too small for the \(specialTokens) special tokens of this input"
        case .cannotTruncate(let maxLength, let strategy, let available, let excess):
            "cannot truncate to maxLength \(maxLength) with \(strategy.rawValue): the "
                + "\(strategy == .onlySecond ? "second" : "first") sequence has \(available) tokens but \(excess) must go"
        case .pairCountMismatch(let texts, let pairs):
            "encodeBatch got \(texts) texts but \(pairs) pairs"
        }
    }

    /// The same error attributed to the tokenizer folder at `path`, for the cases that may lack a file.
    func inDirectory(_ path: String) -> TokenizerError {
        switch self {
        case .missingSpecialToken(nil, let role, let token): .missingSpecialToken(path: path, role: role, token: token)
        case .nonPositiveLimit(nil, let chars, let length):
            .nonPositiveLimit(path: path, maxInputCharsPerWord: chars, modelMaxLength: length)
        default: self
        }
    }

    private static func prefix(_ path: String?) -> String { path.map { "\($0): " } ?? "" }
}
