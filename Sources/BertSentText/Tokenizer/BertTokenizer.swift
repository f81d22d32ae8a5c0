import BertSentCore
import Foundation

/// A BERT WordPiece tokenizer that gives the same ids as Hugging Face's: Python `BertTokenizer` semantics
/// when loaded from vocab.txt, `tokenizers`' `BertTokenizerFast` semantics when loaded from tokenizer.json.
public final class BertTokenizer: Sendable {
    /// Which reference implementation to reproduce where the two disagree (rare characters, the order of
    /// lowercasing and accent stripping, final sigma, a special token broken by a control character, decode).
    public enum Flavor: String, Sendable {
        /// `transformers`' Python `BertTokenizer`, built from vocab.txt.
        case slow
        /// `tokenizers`' `BertNormalizer` + `BertPreTokenizer` + `WordPiece`, built from tokenizer.json.
        case fast
    }

    /// Tokenization settings, as in tokenizer_config.json / tokenizer.json.
    public struct Options: Sendable, Equatable {
        /// Which Hugging Face implementation's output to reproduce.
        public var flavor: Flavor
        /// Whether text is lowercased (`do_lower_case`; tokenizer.json's `lowercase`).
        public var lowercase: Bool
        /// `nil` strips accents exactly when lowercasing, as BERT does.
        public var stripAccents: Bool?
        /// Whether each CJK ideograph becomes a word of its own (`tokenize_chinese_chars`).
        public var tokenizeChineseChars: Bool
        /// Stands for a word the vocabulary cannot spell (`unk_token`).
        public var unknownToken: String
        /// Starts every encoding; the classifier reads its output (`cls_token`).
        public var classifierToken: String
        /// Ends each sequence of an encoding (`sep_token`).
        public var separatorToken: String
        /// Fills the shorter encodings of a batch (`pad_token`).
        public var paddingToken: String
        /// Masked-language modelling's placeholder; the vocabulary may lack it (`mask_token`).
        public var maskToken: String
        /// Further tokens split out of raw text like the special tokens (tokenizer.json `added_tokens`).
        public var extraAddedTokens: [String]
        /// Marks a piece that continues a word, `##` by default (`continuing_subword_prefix`).
        public var continuingSubwordPrefix: String
        /// A longer word becomes one unknown token (`max_input_chars_per_word`).
        public var maxInputCharsPerWord: Int
        /// The longest input the model takes; a model fine-tuned here records the length it was
        /// trained at (tokenizer_config.json `model_max_length`).
        public var modelMaxLength: Int
        /// Whether texts are cleaned (`TextCleaner`: markup, entities, control characters, whitespace)
        /// before they are tokenised, as the model's training data was: tokenizer_config.json's
        /// `bertsent_clean_text`, a key of bertsent's own for what Hugging Face has none for.
        public var cleansText: Bool
        /// Which tokens of a text too long for the maximum length are kept: tokenizer_config.json's
        /// `truncation_side` ("right": the head, "left": the tail), or bertsent's `bertsent_truncation`
        /// "head_tail".
        public var truncationSide: TruncationSide
        /// The tokens a `headTail` cut keeps from the start (`bertsent_truncation_head`); nil: a quarter
        /// of those kept (128 of 510 at 512).
        public var truncationHeadTokens: Int?
        /// The class transformers builds from the folder (tokenizer_config.json's `tokenizer_class`): the
        /// same WordPiece tokenizer under its model's name, `BertTokenizer` or `DistilBertTokenizer`.
        public var tokenizerClass: String

        /// Settings with BERT's defaults unless given.
        public init(
            flavor: Flavor = .slow, lowercase: Bool = true, stripAccents: Bool? = nil,
            tokenizeChineseChars: Bool = true, unknownToken: String = "[UNK]", classifierToken: String = "[CLS]",
            separatorToken: String = "[SEP]", paddingToken: String = "[PAD]", maskToken: String = "[MASK]",
            extraAddedTokens: [String] = [], continuingSubwordPrefix: String = "##",
            maxInputCharsPerWord: Int = 100, modelMaxLength: Int = 512, cleansText: Bool = true,
            truncationSide: TruncationSide = .head, truncationHeadTokens: Int? = nil,
            tokenizerClass: String = "BertTokenizer"
        ) {
            self.flavor = flavor
            self.lowercase = lowercase
            self.stripAccents = stripAccents
            self.tokenizeChineseChars = tokenizeChineseChars
            self.unknownToken = unknownToken
            self.classifierToken = classifierToken
            self.separatorToken = separatorToken
            self.paddingToken = paddingToken
            self.maskToken = maskToken
            self.extraAddedTokens = extraAddedTokens
            self.continuingSubwordPrefix = continuingSubwordPrefix
            self.maxInputCharsPerWord = maxInputCharsPerWord
            self.modelMaxLength = modelMaxLength
            self.cleansText = cleansText
            self.truncationSide = truncationSide
            self.truncationHeadTokens = truncationHeadTokens
            self.tokenizerClass = tokenizerClass
        }

        /// The special tokens, in the order of `special_tokens_map.json`.
        var specialTokens: [String] { [unknownToken, separatorToken, paddingToken, classifierToken, maskToken] }
    }

    /// The default maximum number of tokens per encoding, `[CLS]` and `[SEP]` included.
    public static let defaultMaxLength = 256

    /// The settings it tokenizes with.
    public let options: Options
    /// Token strings by id.
    public let vocabulary: [String]
    private let tokenIds: [String: Int32]
    private let specialTokenIds: Set<Int32>
    private let matcher: AddedTokenMatcher
    private let basic: BasicTokenizer
    private let wordPiece: WordPiece

    /// The id of the padding token.
    public let padId: Int32
    /// The id of the classifier token that starts every encoding.
    public let clsId: Int32
    /// The id of the separator token that ends each sequence.
    public let sepId: Int32
    /// The id that stands for anything not in the vocabulary.
    public let unkId: Int32
    /// The id of the mask token; nil when the vocabulary has none.
    public let maskId: Int32?
    /// The longest input the model accepts (tokenizer_config.json `model_max_length`, else 512).
    public var modelMaxLength: Int { options.modelMaxLength }

    /// `text` as the model's training data was before tokenising: cleaned when `options.cleansText`.
    public func prepare(_ text: String) -> String {
        options.cleansText ? TextCleaner().clean(text) : text
    }

    /// This tokenizer with `change` made to its options (the vocabulary stays).
    public func with(_ change: (inout Options) -> Void) throws -> BertTokenizer {
        var options = self.options
        change(&options)
        // Building one means indexing the whole vocabulary: none is built for unchanged options.
        return options == self.options ? self : try BertTokenizer(vocabulary: vocabulary, options: options)
    }
    /// The number of tokens in the vocabulary.
    public var vocabularySize: Int { vocabulary.count }

    /// A tokenizer over `vocabulary` (token strings in id order, as in vocab.txt).
    /// - Throws: `TokenizerError` when the vocabulary lacks `[CLS]`, `[SEP]`, `[PAD]` or `[UNK]`, or a limit
    ///   in `options` is not positive.
    public init(vocabulary: [String], options: Options = Options()) throws {
        self.vocabulary = vocabulary
        self.options = options
        // A later duplicate wins, as in Python's `load_vocab`.
        let tokenIds = Dictionary(vocabulary.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { $1 })
        self.tokenIds = tokenIds
        func requiredId(_ token: String, _ role: String) throws -> Int32 {
            guard let id = tokenIds[token] else {
                throw TokenizerError.missingSpecialToken(path: nil, role: role, token: token)
            }
            return id
        }
        clsId = try requiredId(options.classifierToken, "classifier")
        sepId = try requiredId(options.separatorToken, "separator")
        padId = try requiredId(options.paddingToken, "padding")
        unkId = try requiredId(options.unknownToken, "unknown")
        maskId = tokenIds[options.maskToken]
        guard options.maxInputCharsPerWord > 0, options.modelMaxLength > 0 else {
            throw TokenizerError.nonPositiveLimit(
                path: nil, maxInputCharsPerWord: options.maxInputCharsPerWord, modelMaxLength: options.modelMaxLength)
        }

        let special = options.specialTokens.compactMap { token in tokenIds[token].map { (token, $0) } }
        let extra = options.extraAddedTokens.compactMap { token in tokenIds[token].map { (token, $0) } }
        specialTokenIds = Set(special.map(\.1))
        matcher = AddedTokenMatcher((special + extra).map { (content: $0.0, id: $0.1) })
        let classifier = ScalarClassifier(flavor: options.flavor)
        basic = BasicTokenizer(
            classifier: classifier,
            normalizer: WordNormalizer(
                classifier: classifier, lowercase: options.lowercase,
                stripAccents: options.stripAccents ?? options.lowercase),
            isolatesCJK: options.tokenizeChineseChars,
            // Python also keeps whole a whitespace token that equals a special token only after cleaning.
            neverSplit: options.flavor == .slow ? special.map { Array($0.0.unicodeScalars.map(\.value)) } : [])
        wordPiece = WordPiece(
            table: PieceTable(tokens: vocabulary, continuingPrefix: options.continuingSubwordPrefix),
            unknownId: unkId, maxInputCharsPerWord: options.maxInputCharsPerWord)
    }

    // MARK: Tokens and ids

    /// The id of `token`, or `unkId` when it is not in the vocabulary.
    public func convertTokenToId(_ token: String) -> Int32 { tokenIds[token] ?? unkId }

    /// The id of each token, `unkId` for those not in the vocabulary.
    public func convertTokensToIds(_ tokens: [String]) -> [Int32] { tokens.map(convertTokenToId) }

    /// The token string of `id`, or `nil` outside the vocabulary.
    public func idToToken(_ id: Int32) -> String? {
        vocabulary.indices.contains(Int(id)) ? vocabulary[Int(id)] : nil
    }

    /// Whether `id` is one of the special tokens (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`, `[MASK]`).
    public func isSpecial(_ id: Int32) -> Bool { specialTokenIds.contains(id) }

    /// The WordPiece tokens of `text`, without `[CLS]`/`[SEP]` (HF `tokenize`).
    public func tokenize(_ text: String) -> [String] {
        var scratch = BasicTokenizer.Scratch()
        return ids(of: text, scratch: &scratch).map { vocabulary[Int($0)] }
    }

    /// The words of `text` after basic tokenization (cleaning, CJK, lowercasing, accents, punctuation) and
    /// before WordPiece; added tokens come out whole.
    public func preTokenize(_ text: String) -> [String] {
        var scratch = BasicTokenizer.Scratch()
        var words: [String] = []
        forEachPiece(of: text, scratch: &scratch) { word, _ in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: word.lazy.map { Unicode.Scalar($0)! })
            words.append(String(view))
        } token: {
            words.append(self.vocabulary[Int($0)])
        }
        return words
    }

    /// The vocabulary ids of `text`, without special tokens added.
    func ids(of text: String, scratch: inout BasicTokenizer.Scratch) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(text.utf8.count / 3)
        forEachPiece(of: text, scratch: &scratch) { word, _ in
            wordPiece.encode(word, into: &ids)
        } token: {
            ids.append($0)
        }
        return ids
    }

    /// Splits out added tokens, then basic-tokenizes the text between them.
    private func forEachPiece(
        of text: String, scratch: inout BasicTokenizer.Scratch,
        word: (UnsafeBufferPointer<UInt32>, _ neverSplit: Bool) -> Void, token: (Int32) -> Void
    ) {
        let scalars = Array(text.unicodeScalars.lazy.map(\.value))
        scalars.withUnsafeBufferPointer { input in
            matcher.split(input) { segment in
                basic.forEachWord(in: segment, scratch: &scratch, word)
            } token: {
                token($0)
            }
        }
    }
}
