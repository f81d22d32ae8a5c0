import BertSentCore
import BertSentModel
import BertSentText
import Foundation

/// Texts in, class probabilities out: tokenises, groups texts of similar length into batches (so
/// little is spent on padding), runs the model and returns predictions in the input order.
///
/// One predictor serves one thread at a time: it keeps its activation buffers between calls.
public final class Predictor: @unchecked Sendable {
    public let model: BertModel
    public let tokenizer: BertTokenizer
    public let maxLength: Int
    public let batchSize: Int
    /// The arithmetic of the encoder's linear layers.
    public let precision: Precision
    /// The linear layers' weights in bf16 or int8, converted once when precision is not fp32.
    private let packedWeights: PackedEncoderWeights?
    /// Reused by every call and grown when one needs more, so a server does not allocate per batch.
    private var workspace: Activations?

    /// - Parameter maxLength: tokens per text, special tokens included; nil is 256 (seed 000's choice)
    ///   or the model's max_position_embeddings if smaller.
    /// - Parameter precision: bf16 and int8 convert the encoder's linear-layer weights once, here; they
    ///   throw, naming the missing instruction sets, on a CPU without AVX-512 BF16 / VNNI (there is no
    ///   silent fallback). Later changes to the model's parameters are not seen by such a predictor.
    /// - Parameter cpu: the instruction sets to assume; tests inject a CPU without bf16.
    public init(model: BertModel, tokenizer: BertTokenizer, maxLength: Int? = nil, batchSize: Int = 32,
                precision: Precision = .fp32, cpu: CPUFeatures = .current) throws {
        let maxLength = maxLength ?? min(BertTokenizer.defaultMaxLength, model.config.maxPositionEmbeddings)
        guard maxLength >= 2, maxLength <= model.config.maxPositionEmbeddings else {
            throw InferenceError.maxLengthOutOfRange(maxLength, modelLimit: model.config.maxPositionEmbeddings)
        }
        guard batchSize >= 1 else { throw InferenceError.invalidBatchSize(batchSize) }
        guard tokenizer.vocabularySize <= model.config.vocabSize else {
            throw InferenceError.vocabularyMismatch(tokenizer: tokenizer.vocabularySize, model: model.config.vocabSize)
        }
        self.model = model
        self.tokenizer = tokenizer
        self.maxLength = maxLength
        self.batchSize = batchSize
        self.precision = precision
        packedWeights = precision == .fp32 ? nil : try PackedEncoderWeights(model: model, precision: precision, cpu: cpu)
    }

    /// Loads the model and tokenizer of a Hugging Face folder.
    public convenience init(directory: URL, maxLength: Int? = nil, batchSize: Int = 32, precision: Precision = .fp32) throws {
        try self.init(model: BertModel.load(from: directory), tokenizer: BertTokenizer(directory: directory),
                      maxLength: maxLength, batchSize: batchSize, precision: precision)
    }

    /// Predicts each text; texts longer than `maxLength` tokens are truncated.
    public func predict(_ texts: [String]) throws -> [Prediction] {
        let encodings = try tokenizer.encodeBatch(texts, maxLength: maxLength, truncation: .longestFirst, padding: .doNotPad)
        return try predict(encodings: encodings)
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
            let batch = try TokenBatch(ids: members.map { encodings[$0].ids }, typeIds: members.map { encodings[$0].tokenTypeIds },
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
        let grown = try Activations(config: model.config, maxBatch: max(batch, workspace?.maxBatch ?? 0),
                                maxSequence: max(sequence, workspace?.maxSequence ?? 0), training: false)
        workspace = grown
        return grown
    }
}
