import BertSentFormats

/// One named tensor inside the parameter buffer. Names are the keys of transformers'
/// `BertForSequenceClassification` (`bert.encoder.layer.0.attention.self.query.weight`, …).
package struct TensorSpec: Sendable, Equatable {
    package let name: String
    package let shape: [Int]
    /// Element offset in the parameter buffer (and in the gradient and optimizer buffers).
    package let offset: Int
    package var count: Int { shape.reduce(1, *) }
    package var range: Range<Int> { offset..<(offset + count) }

    /// Whether weight decay applies: not to biases and LayerNorm weights, as HF Trainer's
    /// `get_decay_parameter_names`.
    package var decays: Bool { !name.contains("bias") && !name.contains("LayerNorm") }
}

/// Offsets of one encoder layer's tensors.
struct LayerOffsets {
    let query, queryBias, key, keyBias, value, valueBias: Int
    let attentionOutput, attentionOutputBias, attentionNormWeight, attentionNormBias: Int
    let intermediate, intermediateBias, output, outputBias, outputNormWeight, outputNormBias: Int
}

/// Where every parameter of a BERT classifier lives in one contiguous buffer. Gradients and optimizer
/// state use buffers of the same layout, so the optimizer is one loop.
package struct ParameterLayout: Sendable {
    package let tensors: [TensorSpec]
    /// Total elements, including the alignment padding between tensors.
    package let count: Int
    let wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings, embeddingNormWeight, embeddingNormBias: Int
    let layers: [LayerOffsets]
    let poolerWeight, poolerBias, classifierWeight, classifierBias: Int

    package init(config: BertConfig) {
        var tensors: [TensorSpec] = []
        var end = 0
        func add(_ name: String, _ shape: [Int]) -> Int {
            let spec = TensorSpec(name: name, shape: shape, offset: end)
            tensors.append(spec)
            end = (spec.range.upperBound + 15) / 16 * 16  // 64-byte aligned starts for vector loads
            return spec.offset
        }
        let c = config.hiddenSize, i = config.intermediateSize
        wordEmbeddings = add("bert.embeddings.word_embeddings.weight", [config.vocabSize, c])
        positionEmbeddings = add("bert.embeddings.position_embeddings.weight", [config.maxPositionEmbeddings, c])
        tokenTypeEmbeddings = add("bert.embeddings.token_type_embeddings.weight", [config.typeVocabSize, c])
        embeddingNormWeight = add("bert.embeddings.LayerNorm.weight", [c])
        embeddingNormBias = add("bert.embeddings.LayerNorm.bias", [c])
        layers = (0..<config.numHiddenLayers).map { l in
            let p = "bert.encoder.layer.\(l)."
            return LayerOffsets(
                query: add(p + "attention.self.query.weight", [c, c]),
                queryBias: add(p + "attention.self.query.bias", [c]),
                key: add(p + "attention.self.key.weight", [c, c]), keyBias: add(p + "attention.self.key.bias", [c]),
                value: add(p + "attention.self.value.weight", [c, c]),
                valueBias: add(p + "attention.self.value.bias", [c]),
                attentionOutput: add(p + "attention.output.dense.weight", [c, c]),
                attentionOutputBias: add(p + "attention.output.dense.bias", [c]),
                attentionNormWeight: add(p + "attention.output.LayerNorm.weight", [c]),
                attentionNormBias: add(p + "attention.output.LayerNorm.bias", [c]),
                intermediate: add(p + "intermediate.dense.weight", [i, c]),
                intermediateBias: add(p + "intermediate.dense.bias", [i]),
                output: add(p + "output.dense.weight", [c, i]), outputBias: add(p + "output.dense.bias", [c]),
                outputNormWeight: add(p + "output.LayerNorm.weight", [c]),
                outputNormBias: add(p + "output.LayerNorm.bias", [c]))
        }
        poolerWeight = add("bert.pooler.dense.weight", [c, c])
        poolerBias = add("bert.pooler.dense.bias", [c])
        classifierWeight = add("classifier.weight", [config.numLabels, c])
        classifierBias = add("classifier.bias", [config.numLabels])
        self.tensors = tensors
        count = end
    }

    package func spec(named name: String) -> TensorSpec? {
        tensors.first { $0.name == name }
    }

    /// Layers between a tensor and the output: 0 for the classifier and pooler, L − l for encoder layer
    /// l of L, L + 1 for the embeddings. Layer-wise learning-rate decay scales its rate by decay^depth.
    package func depth(of spec: TensorSpec) -> Int {
        let layerPrefix = "bert.encoder.layer."
        if spec.name.hasPrefix("bert.embeddings.") { return layers.count + 1 }
        guard spec.name.hasPrefix(layerPrefix),
            let layer = Int(spec.name.dropFirst(layerPrefix.count).prefix { $0 != "." })
        else { return 0 }
        return layers.count - layer
    }
}
