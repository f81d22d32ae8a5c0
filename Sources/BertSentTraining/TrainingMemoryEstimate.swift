import BertSentCore
import BertSentModel
import BertSentText

/// The resident memory a run will reach, worked out before it starts from what it allocates: the weights
/// with their gradients and optimizer moments, the activations of the largest batch (or of an
/// evaluation batch, whichever is larger: the trainer releases one before the other), the tokenized
/// texts, and the runtime's own share. `bench/memory_estimate.sh` compares it with measured peaks.
public struct TrainingMemoryEstimate: Sendable, Equatable {
    /// Weights, their gradients and the optimizer's two moments: four floats per parameter.
    public var parameters: Int64
    /// The training step's activations, gradient scratch and bf16 packing, at the largest batch.
    public var trainingActivations: Int64
    /// An evaluation's activations and its packed weights (bf16 or int8 evaluation).
    public var evaluation: Int64
    /// The texts, their tokens and ids.
    public var data: Int64
    /// The process before any of the above: code, the Swift runtime, the BLAS library's buffers.
    public var runtime: Int64

    /// The runtime's share, measured on Linux x86-64 (`bench/memory_estimate.sh`).
    static let runtimeBytes: Int64 = 64 << 20

    /// The expected peak resident memory.
    public var total: Int64 { parameters + max(trainingActivations, evaluation) + data + runtime }

    init(
        model: BertModel, engine: TrainingEngine, evaluationBatch: Int, evaluationLength: Int,
        evaluationPrecision: Precision, encodings: [Encoding], textBytes: Int
    ) throws {
        let floats = model.parameters.count + engine.grads.count + engine.optimizer.m.count + engine.optimizer.v.count
        parameters = Int64(floats) * 4
        trainingActivations = Int64(engine.acts.residentBytes)
        let config = model.config
        let evaluating = try Activations(
            config: config, maxBatch: evaluationBatch, maxSequence: max(2, evaluationLength), training: false)
        let linearWeights =
            config.numHiddenLayers * (4 * config.hiddenSize + 2 * config.intermediateSize)
            * config.hiddenSize
        let packedBytesPerWeight =
            switch evaluationPrecision {
            case .fp32: 0
            case .bf16: 2
            case .int8: 1
            }
        evaluation = Int64(evaluating.residentBytes + linearWeights * packedBytesPerWeight)
        // Per token: three Int32 ids and a String; per text: four arrays' headers, and its UTF-8 twice
        // (as read and as cleaned).
        let tokens = encodings.reduce(0) { $0 + $1.ids.count }
        data = Int64(tokens * (3 * 4 + 16) + encodings.count * 4 * 32 + 2 * textBytes)
        runtime = Self.runtimeBytes
    }

    /// Throws `TrainingError.exceedsMemory` when the estimate is above `limit`.
    func check(against limit: MemoryLimit, batch: Int, length: Int) throws {
        guard total > limit.bytes else { return }
        throw TrainingError.exceedsMemory(
            estimate: total, limit: limit.bytes, source: limit.source, batch: batch, length: length)
    }
}
