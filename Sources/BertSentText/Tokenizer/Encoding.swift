/// One encoded sequence (or pair of sequences) ready for the model.
public struct Encoding: Sendable, Equatable {
    /// Vocabulary ids, including `[CLS]`/`[SEP]` and any padding.
    public var ids: [Int32]
    /// 0 for the first sequence (and its `[CLS]`/`[SEP]`), 1 for the second; 0 for padding.
    public var tokenTypeIds: [Int32]
    /// 1 for real tokens, 0 for padding.
    public var attentionMask: [Int32]
    /// The token string of each id (`[PAD]` for padding).
    public var tokens: [String]

    /// An encoding from its parallel arrays, one entry per position.
    public init(ids: [Int32], tokenTypeIds: [Int32], attentionMask: [Int32], tokens: [String]) {
        self.ids = ids
        self.tokenTypeIds = tokenTypeIds
        self.attentionMask = attentionMask
        self.tokens = tokens
    }

    /// The number of positions, padding included.
    public var count: Int { ids.count }
}

/// How to shorten inputs that exceed the maximum length, named as in Hugging Face `transformers`.
public enum TruncationStrategy: String, Sendable, CaseIterable {
    /// Remove one token at a time from the longer sequence (from the second one on ties).
    case longestFirst = "longest_first"
    /// Remove tokens from the first sequence only.
    case onlyFirst = "only_first"
    /// Remove tokens from the second sequence only.
    case onlySecond = "only_second"
    /// Never remove tokens; the maximum length then only applies to padding.
    case doNotTruncate = "do_not_truncate"
}

/// How to pad encodings (always on the right, with the pad id, mask 0 and token type 0).
public enum PaddingStrategy: Sendable, Equatable {
    /// Leave every encoding at its own length.
    case doNotPad
    /// Pad every encoding of a batch to the longest one.
    case longest
    /// Pad every encoding to the maximum length.
    case maxLength
}
