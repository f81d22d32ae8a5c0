import BertSentCore
import BertSentModel
import BertSentText
import Foundation

/// Texts in, class probabilities out: prepares texts as the model's training data was (the
/// preprocessing saved with it), tokenises, groups texts of similar length into batches (so little is
/// spent on padding), runs the model and returns predictions in the input order.
///
/// Not Sendable: it keeps its activation buffers between calls, so one thread owns it. What other
/// threads need — preparing inputs, reading outputs — is its `profile`.
public final class Predictor {
    /// The classifier it runs.
    public let model: BertModel
    /// The preprocessing, token limit, classes and arithmetic, shareable across threads.
    public let profile: PredictorProfile
    /// The most texts run through the model at once.
    public let batchSize: Int
    /// The tokenizer saved with the model.
    public var tokenizer: BertTokenizer { profile.tokenizer }
    /// Tokens per text, special tokens included; longer texts are truncated.
    public var maxLength: Int { profile.maxLength }
    /// The arithmetic of the encoder's linear layers.
    public var precision: Precision { profile.precision }
    /// The linear layers' weights in bf16 or int8, converted once when precision is not fp32.
    private let packedWeights: PackedEncoderWeights?
    /// Reused by every call and grown when one needs more, so a server does not allocate per batch.
    private var workspace: Activations?

    /// - Parameter model: the classifier; the predictor reads its parameters and does not change them.
    /// - Parameter tokenizer: the model's tokenizer, with the preprocessing saved with it.
    /// - Parameter maxLength: tokens per text, special tokens included; nil is the length the model was
    ///   trained at (the tokenizer's `model_max_length`), or its max_position_embeddings if smaller.
    /// - Parameter precision: bf16 and int8 convert the encoder's linear-layer weights once, here, for
    ///   `kernels`. Later changes to the model's parameters are not seen by such a predictor.
    /// - Parameter batchSize: texts per forward pass.
    /// - Parameter kernels: the kernels to run (the process's own by default; tests pick others).
    public init(
        model: BertModel, tokenizer: BertTokenizer, maxLength: Int? = nil, batchSize: Int = 32,
        precision: Precision = .fp32, kernels: KernelSet = .active
    ) throws {
        let maxLength = maxLength ?? min(tokenizer.modelMaxLength, model.config.maxPositionEmbeddings)
        guard maxLength >= 2, maxLength <= model.config.maxPositionEmbeddings else {
            throw InferenceError.maxLengthOutOfRange(maxLength, modelLimit: model.config.maxPositionEmbeddings)
        }
        guard batchSize >= 1 else { throw InferenceError.invalidBatchSize(batchSize) }
        guard tokenizer.vocabularySize <= model.config.vocabSize else {
            throw InferenceError.vocabularyMismatch(tokenizer: tokenizer.vocabularySize, model: model.config.vocabSize)
        }
        self.model = model
        profile = PredictorProfile(
            tokenizer: tokenizer, maxLength: maxLength, config: model.config, precision: precision,
            kernels: kernels)
        self.batchSize = batchSize
        packedWeights =
            precision == .fp32 ? nil : try PackedEncoderWeights(model: model, precision: precision, kernels: kernels)
    }

    /// Loads the model and tokenizer of a Hugging Face folder.
    public convenience init(directory: URL, maxLength: Int? = nil, batchSize: Int = 32, precision: Precision = .fp32)
        throws
    {
        try self.init(
            model: BertModel.load(from: directory), tokenizer: BertTokenizer(directory: directory),
            maxLength: maxLength, batchSize: batchSize, precision: precision)
    }

    /// Predicts each text, prepared as the model's training data was; texts longer than `maxLength`
    /// tokens are truncated.
    public func predict(_ texts: [String]) throws -> [Prediction] {
        try predict(encodings: profile.encode(texts))
    }

    /// Predicts already tokenised texts (unpadded encodings).
    public func predict(encodings: [Encoding]) throws -> [Prediction] {
        let logits = try self.logits(encodings: encodings)
        return logits.map { Prediction(logits: $0, classes: model.config.classNames) }
    }

    /// The head's logits for each encoding, computed in length-sorted batches.
    public func logits(encodings: [Encoding]) throws -> [[Float]] {
        guard !encodings.isEmpty else { return [] }
        let order = encodings.indices.sorted { encodings[$0].ids.count < encodings[$1].ids.count }
        let acts = try activations(batch: min(batchSize, encodings.count), sequence: encodings[order.last!].ids.count)
        let labels = model.config.numLabels
        var result = [[Float]](repeating: [], count: encodings.count)
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let members = order[start..<min(start + batchSize, order.count)]
            let batch = try TokenBatch(
                ids: members.map { encodings[$0].ids }, typeIds: members.map { encodings[$0].tokenTypeIds },
                padId: tokenizer.padId)
            let flat = try model.forward(batch, acts: acts, packed: packedWeights)
            for (row, index) in members.enumerated() {
                result[index] = Array(flat[(row * labels)..<((row + 1) * labels)])
            }
        }
        return result
    }

    private func activations(batch: Int, sequence: Int) throws -> Activations {
        if let workspace, workspace.maxBatch >= batch, workspace.maxSequence >= sequence { return workspace }
        let grown = try Activations(
            config: model.config, maxBatch: max(batch, workspace?.maxBatch ?? 0),
            maxSequence: max(sequence, workspace?.maxSequence ?? 0), training: false)
        workspace = grown
        return grown
    }
}
