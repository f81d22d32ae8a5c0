import BertSentFormats

/// One named tensor inside the parameter buffer. Names are the keys of transformers' classifier for the
/// model's architecture (`bert.encoder.layer.0.attention.self.query.weight`,
/// `distilbert.transformer.layer.0.attention.q_lin.weight`, …).
package struct TensorSpec: Sendable, Equatable {
    /// Where in the model a tensor sits.
    package enum Part: Sendable, Equatable {
        case embeddings
        case layer(Int)
        /// BERT's pooler or DistilBERT's pre_classifier: the dense layer on [CLS] before the classifier.
        case pooler
        case classifier
    }

    /// What a tensor is, which decides its initialisation and whether weight decay applies.
    package enum Role: Sendable, Equatable {
        case embedding, weight, bias, normWeight, normBias
    }

    package let name: String
    package let shape: [Int]
    /// Element offset in the parameter buffer (and in the gradient and optimizer buffers).
    package let offset: Int
    package let part: Part
    package let role: Role
    package var count: Int { shape.reduce(1, *) }
    package var range: Range<Int> { offset..<(offset + count) }

    /// Whether weight decay applies: not to biases and LayerNorm weights, as HF Trainer's
    /// `get_decay_parameter_names`.
    package var decays: Bool { role == .weight || role == .embedding }
}

/// Offsets of one encoder layer's tensors.
struct LayerOffsets {
    let query, queryBias, key, keyBias, value, valueBias: Int
    let attentionOutput, attentionOutputBias, attentionNormWeight, attentionNormBias: Int
    let intermediate, intermediateBias, output, outputBias, outputNormWeight, outputNormBias: Int
}

/// Where every parameter of a BERT-family classifier lives in one contiguous buffer. Gradients and
/// optimizer state use buffers of the same layout, so the optimizer is one loop.
package struct ParameterLayout: Sendable {
    package let tensors: [TensorSpec]
    /// Total elements, including the alignment padding between tensors.
    package let count: Int
    let wordEmbeddings, positionEmbeddings, embeddingNormWeight, embeddingNormBias: Int
    /// Nil for DistilBERT, which has no token types.
    let tokenTypeEmbeddings: Int?
    let layers: [LayerOffsets]
    let poolerWeight, poolerBias, classifierWeight, classifierBias: Int

    package init(config: BertConfig) {
        var tensors: [TensorSpec] = []
        var end = 0
        func add(_ name: String, _ shape: [Int], _ part: TensorSpec.Part, _ role: TensorSpec.Role) -> Int {
            let spec = TensorSpec(name: name, shape: shape, offset: end, part: part, role: role)
            tensors.append(spec)
            end = (spec.range.upperBound + 15) / 16 * 16  // 64-byte aligned starts for vector loads
            return spec.offset
        }
        func linear(_ name: String, _ shape: [Int], _ part: TensorSpec.Part) -> (weight: Int, bias: Int) {
            (add(name + ".weight", shape, part, .weight), add(name + ".bias", [shape[0]], part, .bias))
        }
        func norm(_ name: String, _ width: Int, _ part: TensorSpec.Part) -> (weight: Int, bias: Int) {
            (add(name + ".weight", [width], part, .normWeight), add(name + ".bias", [width], part, .normBias))
        }
        let names = TensorNames(config.architecture)
        let c = config.hiddenSize, i = config.intermediateSize
        let e = names.embeddings
        wordEmbeddings = add(e + "word_embeddings.weight", [config.vocabSize, c], .embeddings, .embedding)
        positionEmbeddings = add(
            e + "position_embeddings.weight", [config.maxPositionEmbeddings, c], .embeddings, .embedding)
        tokenTypeEmbeddings =
            config.architecture == .bert
            ? add(e + "token_type_embeddings.weight", [config.typeVocabSize, c], .embeddings, .embedding) : nil
        (embeddingNormWeight, embeddingNormBias) = norm(e + "LayerNorm", c, .embeddings)
        layers = (0..<config.numHiddenLayers).map { l in
            let p = names.layer(l), part = TensorSpec.Part.layer(l)
            let query = linear(p + names.query, [c, c], part), key = linear(p + names.key, [c, c], part)
            let value = linear(p + names.value, [c, c], part)
            let attentionOutput = linear(p + names.attentionOutput, [c, c], part)
            let attentionNorm = norm(p + names.attentionNorm, c, part)
            let intermediate = linear(p + names.intermediate, [i, c], part)
            let output = linear(p + names.output, [c, i], part), outputNorm = norm(p + names.outputNorm, c, part)
            return LayerOffsets(
                query: query.weight, queryBias: query.bias, key: key.weight, keyBias: key.bias,
                value: value.weight, valueBias: value.bias,
                attentionOutput: attentionOutput.weight, attentionOutputBias: attentionOutput.bias,
                attentionNormWeight: attentionNorm.weight, attentionNormBias: attentionNorm.bias,
                intermediate: intermediate.weight, intermediateBias: intermediate.bias,
                output: output.weight, outputBias: output.bias,
                outputNormWeight: outputNorm.weight, outputNormBias: outputNorm.bias)
        }
        (poolerWeight, poolerBias) = linear(names.pooler, [c, c], .pooler)
        (classifierWeight, classifierBias) = linear("classifier", [config.numLabels, c], .classifier)
        self.tensors = tensors
        count = end
    }

    package func spec(named name: String) -> TensorSpec? {
        tensors.first { $0.name == name }
    }

    /// Layers between a tensor and the output: 0 for the classifier and pooler, L − l for encoder layer
    /// l of L, L + 1 for the embeddings. Layer-wise learning-rate decay scales its rate by decay^depth.
    package func depth(of spec: TensorSpec) -> Int {
        switch spec.part {
        case .classifier, .pooler: 0
        case .layer(let l): layers.count - l
        case .embeddings: layers.count + 1
        }
    }
}

/// Each architecture's checkpoint keys, so that loading is a lookup.
private struct TensorNames {
    let embeddings, layerPrefix, pooler: String
    let query, key, value, attentionOutput, attentionNorm, intermediate, output, outputNorm: String

    init(_ architecture: ModelArchitecture) {
        switch architecture {
        case .bert:
            (embeddings, layerPrefix, pooler) = ("bert.embeddings.", "bert.encoder.layer.", "bert.pooler.dense")
            (query, key, value, attentionOutput, attentionNorm) = (
                "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                "attention.output.LayerNorm"
            )
            (intermediate, output, outputNorm) = ("intermediate.dense", "output.dense", "output.LayerNorm")
        case .distilbert:
            (embeddings, layerPrefix, pooler) = (
                "distilbert.embeddings.", "distilbert.transformer.layer.", "pre_classifier"
            )
            (query, key, value, attentionOutput, attentionNorm) = (
                "attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin", "sa_layer_norm"
            )
            (intermediate, output, outputNorm) = ("ffn.lin1", "ffn.lin2", "output_layer_norm")
        }
    }

    func layer(_ l: Int) -> String { "\(layerPrefix)\(l)." }
}
