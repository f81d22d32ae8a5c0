import BertSentCore
import BertSentFormats

/// Buffers for one encoder layer's activations; each is sized for the capacity in tokens N.
/// Layouts: (N, C) unless noted; the backward pass reads them all. Without one (inference), a buffer
/// whose value is dead by the time another is written shares its memory: ctx is written over q (each
/// head's queries are read before its context is written, and heads own disjoint columns), the two
/// sums over k and v (read only by attention, which is done by then).
final class LayerActivations {
    let q, k, v, ctx: FloatBuffer
    /// (B, H, T) each attention row's log Σ exp, from which the backward pass recomputes the
    /// probabilities (training only; empty in inference).
    let logSumExp: FloatBuffer
    /// attention output projection + residual, then its LayerNorm (and the norm's (N) statistics).
    let attentionSum, attentionNorm, attentionMean, attentionRstd: FloatBuffer
    /// (N, I) intermediate projection before GELU.
    let intermediate: FloatBuffer
    /// output projection + residual, then its LayerNorm: the layer's output.
    let outputSum, outputNorm, outputMean, outputRstd: FloatBuffer

    init(tokens n: Int, attentionRows: Int, channels c: Int, intermediateSize i: Int, training: Bool) throws {
        (q, k, v) = try (FloatBuffer(count: n * c), FloatBuffer(count: n * c), FloatBuffer(count: n * c))
        ctx = try training ? FloatBuffer(count: n * c) : q
        logSumExp = try FloatBuffer(count: attentionRows)
        (attentionSum, attentionNorm) = try (training ? FloatBuffer(count: n * c) : k, FloatBuffer(count: n * c))
        (attentionMean, attentionRstd) = try (FloatBuffer(count: n), FloatBuffer(count: n))
        intermediate = try FloatBuffer(count: n * i)
        (outputSum, outputNorm) = try (training ? FloatBuffer(count: n * c) : v, FloatBuffer(count: n * c))
        (outputMean, outputRstd) = try (FloatBuffer(count: n), FloatBuffer(count: n))
    }

    /// Every buffer (shared ones twice), for `Activations.releasePages` and `residentBytes`.
    var buffers: [FloatBuffer] {
        [
            q, k, v, ctx, logSumExp, attentionSum, attentionNorm, attentionMean, attentionRstd, intermediate, outputSum,
            outputNorm,
            outputMean, outputRstd,
        ]
    }
}

/// Gradient buffers the backward pass works in, reused layer after layer. Layouts (N, C) unless noted.
package final class GradientScratch {
    /// Gradient flowing into the current layer's output, and the one it passes down.
    let output, input: FloatBuffer
    /// The gradient of the hidden state inside a layer: d(output sum), then d(attention LayerNorm's
    /// output), then d(attention context).
    let dHidden: FloatBuffer
    /// The gradient of a residual sum's branch: d(FFN output), then d(attention sum).
    let dBranch: FloatBuffer
    /// The gradient of the attention output projection, before its dropout.
    let dProjection: FloatBuffer
    /// Gradients of queries, keys and values.
    let dq, dk, dv: FloatBuffer
    /// (N, I)
    let intermediate: FloatBuffer
    /// (B, C) pooler gradients and (B, numLabels) logit gradients.
    package let pooled, logits: FloatBuffer

    init(tokens n: Int, batch: Int, channels c: Int, intermediateSize i: Int, labels: Int) throws {
        (output, input) = try (FloatBuffer(count: n * c), FloatBuffer(count: n * c))
        (dHidden, dBranch, dProjection) = try (
            FloatBuffer(count: n * c), FloatBuffer(count: n * c), FloatBuffer(count: n * c)
        )
        (dq, dk, dv) = try (FloatBuffer(count: n * c), FloatBuffer(count: n * c), FloatBuffer(count: n * c))
        intermediate = try FloatBuffer(count: n * i)
        pooled = try FloatBuffer(count: batch * c)
        logits = try FloatBuffer(count: batch * labels)
    }

    /// Every buffer, for `Activations.releasePages` and `residentBytes`.
    var buffers: [FloatBuffer] {
        [output, input, dHidden, dBranch, dProjection, dq, dk, dv, intermediate, pooled, logits]
    }
}

/// Preallocated activations for batches of up to `maxBatch` texts of up to `maxSequence` tokens;
/// any smaller batch reuses them, packed as (B, T, …) with its own T.
///
/// Training keeps one `LayerActivations` per layer for the backward pass, plus dropout and gradient
/// scratch; inference keeps a single one that every layer overwrites in turn, since only the last
/// layer's output is needed.
package final class Activations {
    package let maxBatch: Int
    package let maxSequence: Int
    package let training: Bool
    let embeddingSum, embeddingNorm, embeddingMean, embeddingRstd: FloatBuffer
    let layers: [LayerActivations]
    /// (N, I) the current layer's GELU output. Training recomputes it in the backward pass from the
    /// layer's `intermediate` rather than keep one per layer (N·I floats each); inference computes it
    /// in place over `intermediate`.
    let gelu: FloatBuffer
    /// (B, C) pooler output (after tanh), and after the classifier's dropout.
    let pooled, pooledDropped: FloatBuffer
    /// (B, numLabels)
    package let logits: FloatBuffer
    /// Each core's scores and probabilities for the (sample, head) it is working on: one T × T
    /// matrix per core, two for training's backward pass.
    let attentionScratch: FloatBuffer
    package let gradients: GradientScratch?
    /// Where training in bf16 packs each linear product's operand (nil in FP32 and inference).
    let bf16Packing: Bf16PackingBuffer?
    /// Whether the last forward computed every position of the last layer or only [CLS] rows; the
    /// backward pass follows the same shapes.
    var allPositions = false

    /// - Parameters:
    ///   - training: keep every layer's activations and allocate the backward pass's buffers.
    ///   - precision: the arithmetic of training's linear products (fp32 or bf16). Inference in bf16 or
    ///     int8 instead passes `PackedEncoderWeights` to `forward`, converted once.
    ///   - kernels: whose bf16 kernel training's bf16 products run on.
    package init(
        config: BertConfig, maxBatch: Int, maxSequence: Int, training: Bool, precision: Precision = .fp32,
        kernels: KernelSet = .active
    ) throws {
        if precision != .fp32 {
            guard training, precision == .bf16 else {
                throw ModelError.unsupportedActivationsPrecision(precision, training: training)
            }
        }
        self.maxBatch = maxBatch
        self.maxSequence = maxSequence
        self.training = training
        let n = maxBatch * maxSequence, c = config.hiddenSize
        (embeddingSum, embeddingNorm) = try (FloatBuffer(count: n * c), FloatBuffer(count: n * c))
        (embeddingMean, embeddingRstd) = try (FloatBuffer(count: n), FloatBuffer(count: n))
        let attentionRows = training ? maxBatch * config.numAttentionHeads * maxSequence : 0
        layers = try (0..<(training ? config.numHiddenLayers : 1)).map { _ in
            try LayerActivations(
                tokens: n, attentionRows: attentionRows, channels: c, intermediateSize: config.intermediateSize,
                training: training)
        }
        gelu = try training ? FloatBuffer(count: n * config.intermediateSize) : layers[0].intermediate
        pooled = try FloatBuffer(count: maxBatch * c)
        pooledDropped = try FloatBuffer(count: training ? maxBatch * c : 0)
        logits = try FloatBuffer(count: maxBatch * config.numLabels)
        attentionScratch = try FloatBuffer(
            count: attentionScratchCount(queries: maxSequence, seq: maxSequence, backward: training))
        gradients =
            try training
            ? GradientScratch(
                tokens: n, batch: maxBatch, channels: c, intermediateSize: config.intermediateSize,
                labels: config.numLabels)
            : nil
        bf16Packing =
            try precision == .bf16
            ? Bf16PackingBuffer(
                capacity: Self.packingCapacity(config: config, tokens: n, kernel: kernels.bf16), kernel: kernels.bf16)
            : nil
    }

    /// The largest packed operand of a training step's bf16 products: a weight, in its forward or
    /// backward orientation, or a layer's input (every token × its features) for the weight's gradient.
    private static func packingCapacity(config: BertConfig, tokens: Int, kernel: Bf16Kernel) -> Int {
        let c = config.hiddenSize, i = config.intermediateSize
        return [(c, c), (i, c), (c, i), (c, tokens), (i, tokens)].map {
            Bf16PackingBuffer.count(n: $0.0, k: $0.1, kernel: kernel)
        }.max()!
    }

    func fits(_ batch: TokenBatch) -> Bool {
        batch.size <= maxBatch && batch.length <= maxSequence
    }

    /// Returns the pages of every buffer to the system (`FloatBuffer.releasePages`): their contents are
    /// dead between steps, since each step writes what it reads. The trainer calls it before evaluating,
    /// so the evaluation's activations do not add to the training step's at the run's peak.
    package func releasePages() {
        for buffer in buffers { buffer.releasePages() }
    }

    /// The memory these activations take once a batch of the largest size has written them all: what a
    /// run's peak holds for them, which `TrainingMemoryEstimate` adds up before training starts.
    package var residentBytes: Int {
        var seen = Set<ObjectIdentifier>()
        return buffers.reduce(0) { sum, buffer in
            seen.insert(ObjectIdentifier(buffer)).inserted ? sum + buffer.count * MemoryLayout<Float>.stride : sum
        }
    }

    /// Every buffer; those shared between roles appear once per role.
    private var buffers: [FloatBuffer] {
        var buffers = [
            embeddingSum, embeddingNorm, embeddingMean, embeddingRstd, gelu, pooled, pooledDropped, logits,
            attentionScratch,
        ]
        buffers += layers.flatMap(\.buffers) + (gradients?.buffers ?? [])
        if let bf16Packing { buffers.append(bf16Packing.storage) }
        return buffers
    }

    /// Activations of layer `l` (the shared one when only one is kept).
    func layer(_ l: Int) -> LayerActivations { layers[min(l, layers.count - 1)] }
}
