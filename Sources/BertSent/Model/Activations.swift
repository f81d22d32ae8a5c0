/// Buffers for one encoder layer's activations; each is sized for the capacity in tokens N.
/// Layouts: (N, C) unless noted; the backward pass reads them all.
final class LayerActivations {
    let q, k, v, ctx: FloatBuffer
    /// (B, H, T, T) attention probabilities.
    let att: FloatBuffer
    /// attention output projection + residual, then its LayerNorm (and the norm's (N) statistics).
    let attentionSum, attentionNorm, attentionMean, attentionRstd: FloatBuffer
    /// (N, I) intermediate projection before and after GELU.
    let intermediate, gelu: FloatBuffer
    /// output projection + residual, then its LayerNorm: the layer's output.
    let outputSum, outputNorm, outputMean, outputRstd: FloatBuffer

    init(tokens n: Int, attention: Int, channels c: Int, intermediateSize i: Int) {
        (q, k, v, ctx) = (FloatBuffer(count: n * c), FloatBuffer(count: n * c), FloatBuffer(count: n * c), FloatBuffer(count: n * c))
        att = FloatBuffer(count: attention)
        (attentionSum, attentionNorm) = (FloatBuffer(count: n * c), FloatBuffer(count: n * c))
        (attentionMean, attentionRstd) = (FloatBuffer(count: n), FloatBuffer(count: n))
        (intermediate, gelu) = (FloatBuffer(count: n * i), FloatBuffer(count: n * i))
        (outputSum, outputNorm) = (FloatBuffer(count: n * c), FloatBuffer(count: n * c))
        (outputMean, outputRstd) = (FloatBuffer(count: n), FloatBuffer(count: n))
    }
}

/// Preallocated activations for batches of up to `maxBatch` texts of up to `maxSequence` tokens;
/// any smaller batch reuses them, packed as (B, T, …) with its own T.
///
/// Training keeps one `LayerActivations` per layer for the backward pass; inference keeps a single
/// one that every layer overwrites in turn, since only the last layer's output is needed.
public final class Activations: @unchecked Sendable {
    public let maxBatch: Int
    public let maxSequence: Int
    let embeddingSum, embeddingNorm, embeddingMean, embeddingRstd: FloatBuffer
    let layers: [LayerActivations]
    /// (B, C) pooler output (after tanh).
    let pooled: FloatBuffer
    /// (B, numLabels)
    let logits: FloatBuffer

    /// - Parameter keepAllLayers: true for training (activations of every layer kept for backward).
    public init(config: BertConfig, maxBatch: Int, maxSequence: Int, keepAllLayers: Bool) {
        self.maxBatch = maxBatch
        self.maxSequence = maxSequence
        let n = maxBatch * maxSequence, c = config.hiddenSize
        (embeddingSum, embeddingNorm) = (FloatBuffer(count: n * c), FloatBuffer(count: n * c))
        (embeddingMean, embeddingRstd) = (FloatBuffer(count: n), FloatBuffer(count: n))
        let attention = maxBatch * config.numAttentionHeads * maxSequence * maxSequence
        layers = (0..<(keepAllLayers ? config.numHiddenLayers : 1)).map { _ in
            LayerActivations(tokens: n, attention: attention, channels: c, intermediateSize: config.intermediateSize)
        }
        pooled = FloatBuffer(count: maxBatch * c)
        logits = FloatBuffer(count: maxBatch * config.numLabels)
    }

    func fits(_ batch: TokenBatch) -> Bool {
        batch.size <= maxBatch && batch.length <= maxSequence
    }

    /// Activations of layer `l` (the shared one when only one is kept).
    func layer(_ l: Int) -> LayerActivations { layers[min(l, layers.count - 1)] }
}
