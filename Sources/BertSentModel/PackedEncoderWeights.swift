import BertSentCore
import BertSentFormats

/// The encoder's linear-layer weights (query, key, value, attention output, intermediate, output of
/// every layer) converted once for inference in a reduced precision: rounded to bf16, or quantised to
/// int8 per output feature, and packed for that kernel. `BertModel.forward` runs those layers on them
/// when given this; everything else (embeddings, LayerNorm, GELU, attention's per-head products,
/// softmax, pooler, classifier, biases) stays FP32. A snapshot: later changes to the model's parameters
/// are not seen.
package final class PackedEncoderWeights: Sendable {
    /// One encoder layer's six converted weights.
    struct Layer: Sendable {
        let query, key, value, attentionOutput, intermediate, output: any PackedLinearWeight
    }

    /// bf16 or int8.
    package let precision: Precision
    let layers: [Layer]
    private let hiddenSize, intermediateSize: Int
    /// Bytes the converted weights occupy (about half of the FP32 weights in bf16, a quarter in int8).
    package let byteCount: Int

    /// The kernels the converted weights are for.
    package let kernels: KernelSet

    /// Converts `model`'s linear-layer weights for `kernels`' int8 or bf16 kernel; throws for fp32.
    package init(model: BertModel, precision: Precision, kernels: KernelSet = .active) throws {
        guard precision != .fp32 else { throw ModelError.nothingToConvert }
        self.precision = precision
        self.kernels = kernels
        let p = UnsafePointer(model.parameters.pointer), c = model.config.hiddenSize, i = model.config.intermediateSize
        hiddenSize = c
        intermediateSize = i
        func pack(_ offset: Int, _ outFeatures: Int, _ inFeatures: Int) -> any PackedLinearWeight {
            precision == .int8
                ? PackedInt8Weight(
                    weight: p + offset, outFeatures: outFeatures, inFeatures: inFeatures, kernel: kernels.int8)
                : PackedBf16Weight(
                    weight: p + offset, outFeatures: outFeatures, inFeatures: inFeatures, kernel: kernels.bf16)
        }
        layers = model.layout.layers.map { w in
            Layer(
                query: pack(w.query, c, c), key: pack(w.key, c, c), value: pack(w.value, c, c),
                attentionOutput: pack(w.attentionOutput, c, c), intermediate: pack(w.intermediate, i, c),
                output: pack(w.output, c, i))
        }
        byteCount = layers.reduce(0) { sum, layer in
            sum
                + [layer.query, layer.key, layer.value, layer.attentionOutput, layer.intermediate, layer.output].reduce(
                    0
                ) { $0 + $1.byteCount }
        }
    }

    /// Whether these weights have the shapes of a model with `config`.
    func fits(_ config: BertConfig) -> Bool {
        layers.count == config.numHiddenLayers && hiddenSize == config.hiddenSize
            && intermediateSize == config.intermediateSize
    }
}
