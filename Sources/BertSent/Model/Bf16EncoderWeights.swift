import CKernels

/// The encoder's linear-layer weights (query, key, value, attention output, intermediate, output of
/// every layer) rounded once to bf16 and packed for the bf16 GEMM. `BertModel.forward` runs those
/// layers on them when given this; everything else (embeddings, LayerNorm, GELU, attention's per-head
/// products, softmax, pooler, classifier, biases) stays FP32. A snapshot: later changes to the model's
/// parameters are not seen.
public final class Bf16EncoderWeights: Sendable {
    /// One encoder layer's six packed weights.
    struct Layer: Sendable {
        let query, key, value, attentionOutput, intermediate, output: PackedBf16Weight
    }

    let layers: [Layer]
    private let hiddenSize, intermediateSize: Int
    /// Bytes the packed weights occupy (about half of the same FP32 weights).
    public let byteCount: Int

    /// Converts `model`'s linear-layer weights; throws, naming the missing instruction sets, unless
    /// `cpu` runs the bf16 GEMM (AVX-512 F, BW, VL and BF16).
    public init(model: BertModel, cpu: CPUFeatures = .current) throws {
        try cpu.requireBf16Gemm()
        let p = UnsafePointer(model.parameters.pointer), c = model.config.hiddenSize, i = model.config.intermediateSize
        hiddenSize = c
        intermediateSize = i
        func pack(_ offset: Int, _ outFeatures: Int, _ inFeatures: Int) -> PackedBf16Weight {
            PackedBf16Weight(weight: p + offset, outFeatures: outFeatures, inFeatures: inFeatures)
        }
        layers = model.layout.layers.map { w in
            Layer(query: pack(w.query, c, c), key: pack(w.key, c, c), value: pack(w.value, c, c),
                  attentionOutput: pack(w.attentionOutput, c, c), intermediate: pack(w.intermediate, i, c),
                  output: pack(w.output, c, i))
        }
        byteCount = layers.reduce(0) { sum, layer in
            sum + [layer.query, layer.key, layer.value, layer.attentionOutput, layer.intermediate, layer.output]
                .reduce(0) { $0 + bs_bf16_packed_count($1.outFeatures, $1.inFeatures) * 2 }
        }
    }

    /// Whether these weights have the shapes of a model with `config`.
    func fits(_ config: BertConfig) -> Bool {
        layers.count == config.numHiddenLayers && hiddenSize == config.hiddenSize && intermediateSize == config.intermediateSize
    }
}
