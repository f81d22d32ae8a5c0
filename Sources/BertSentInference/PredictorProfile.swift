import BertSentCore
import BertSentFormats
import BertSentText

/// What a loaded classifier takes and gives, without its weights: the preprocessing saved with the
/// model (text cleaning and the tokenizer), the token limit, the classes and head, and the arithmetic.
/// Immutable, so request handlers can prepare inputs and read outputs on any thread while the model
/// itself runs on one.
public struct PredictorProfile: Sendable {
    /// The tokenizer saved with the model, which also says whether texts are cleaned.
    public let tokenizer: BertTokenizer
    /// Tokens per text, special tokens included; longer texts are truncated.
    public let maxLength: Int
    /// The model's config: its classes and head.
    public let config: BertConfig
    /// The arithmetic of the encoder's linear layers.
    public let precision: Precision
    /// The kernels the predictor runs.
    public let kernels: KernelSet

    /// The classes predictions report, by probability index.
    public var classNames: [String] { config.classNames }

    /// `text` as the model's training data was before tokenising (cleaned when training cleaned).
    public func prepare(_ text: String) -> String { tokenizer.prepare(text) }

    /// Prepares and tokenises `texts`, truncating each to `maxLength` tokens.
    /// - Parameter texts: the texts to encode.
    /// - Parameter prepared: the texts are already as `prepare` makes them (cleaning twice can change a
    ///   text: `&amp;lt;` becomes `<`).
    public func encode(_ texts: [String], prepared: Bool = false) throws -> [Encoding] {
        try tokenizer.encodeBatch(
            prepared ? texts : texts.map(prepare), maxLength: maxLength, truncation: .longestFirst,
            padding: .doNotPad)
    }
}
