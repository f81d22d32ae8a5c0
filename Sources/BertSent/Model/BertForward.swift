extension BertModel {
    /// Runs embeddings → encoder layers → pooler → classifier on `batch`, writing every intermediate
    /// into `acts` and returning the logits, (B, numLabels) row-major. With a dropout plan (training
    /// activations only) dropout is applied where transformers applies it.
    ///
    /// Padded positions are masked as keys, so each text's result does not depend on the padding.
    @discardableResult
    public func forward(_ batch: TokenBatch, acts: Activations, dropout: DropoutPlan? = nil) throws -> [Float] {
        try batch.validate(for: config)
        guard acts.fits(batch) else {
            throw BertSentError("batch of \(batch.size)×\(batch.length) exceeds the activations' capacity \(acts.maxBatch)×\(acts.maxSequence)")
        }
        guard dropout == nil || acts.training else { throw BertSentError("dropout needs training activations") }
        let b = batch.size, t = batch.length, n = b * t
        let c = config.hiddenSize, i = config.intermediateSize, h = config.numAttentionHeads
        let eps = Float(config.layerNormEps)
        let p = UnsafePointer(parameters.pointer), lay = layout

        batch.ids.withUnsafeBufferPointer { ids in
            batch.typeIds.withUnsafeBufferPointer { types in
                embeddingForward(out: acts.embeddingSum.pointer, ids: ids.baseAddress!, typeIds: types.baseAddress!,
                                 word: p + lay.wordEmbeddings, position: p + lay.positionEmbeddings,
                                 tokenType: p + lay.tokenTypeEmbeddings, batch: b, seq: t, channels: c)
            }
        }
        layerNormForward(out: acts.embeddingNorm.pointer, mean: acts.embeddingMean.pointer, rstd: acts.embeddingRstd.pointer,
                         inp: acts.embeddingSum.pointer, weight: p + lay.embeddingNormWeight, bias: p + lay.embeddingNormBias,
                         n: n, c: c, eps: eps)
        // In place: the LayerNorm's backward needs its input, not its output.
        if let mask = dropout?.mask(.embeddings) { dropoutForward(acts.embeddingNorm.pointer, count: n * c, mask: mask) }
        var x = UnsafePointer(acts.embeddingNorm.pointer)
        for (l, w) in lay.layers.enumerated() {
            let a = acts.layer(l)
            linearForward(out: a.q.pointer, inp: x, weight: p + w.query, bias: p + w.queryBias, n: n, inFeatures: c, outFeatures: c)
            linearForward(out: a.k.pointer, inp: x, weight: p + w.key, bias: p + w.keyBias, n: n, inFeatures: c, outFeatures: c)
            linearForward(out: a.v.pointer, inp: x, weight: p + w.value, bias: p + w.valueBias, n: n, inFeatures: c, outFeatures: c)
            batch.lengths.withUnsafeBufferPointer { lengths in
                attentionForward(ctx: a.ctx.pointer, att: a.att.pointer, q: a.q.pointer, k: a.k.pointer, v: a.v.pointer,
                                 lengths: lengths.baseAddress!, batch: b, seq: t, heads: h, channels: c,
                                 dropout: dropout?.mask(.attentionProbabilities(l)), scratch: acts.attentionScratch.pointer)
            }
            linearForward(out: a.attentionSum.pointer, inp: a.ctx.pointer, weight: p + w.attentionOutput,
                          bias: p + w.attentionOutputBias, n: n, inFeatures: c, outFeatures: c)
            if let mask = dropout?.mask(.attentionOutput(l)) { dropoutForward(a.attentionSum.pointer, count: n * c, mask: mask) }
            residualForward(out: a.attentionSum.pointer, inp: x, count: n * c)
            layerNormForward(out: a.attentionNorm.pointer, mean: a.attentionMean.pointer, rstd: a.attentionRstd.pointer,
                             inp: a.attentionSum.pointer, weight: p + w.attentionNormWeight, bias: p + w.attentionNormBias,
                             n: n, c: c, eps: eps)
            linearForward(out: a.intermediate.pointer, inp: a.attentionNorm.pointer, weight: p + w.intermediate,
                          bias: p + w.intermediateBias, n: n, inFeatures: c, outFeatures: i)
            geluForward(out: a.gelu.pointer, inp: a.intermediate.pointer, count: n * i)
            linearForward(out: a.outputSum.pointer, inp: a.gelu.pointer, weight: p + w.output, bias: p + w.outputBias,
                          n: n, inFeatures: i, outFeatures: c)
            if let mask = dropout?.mask(.output(l)) { dropoutForward(a.outputSum.pointer, count: n * c, mask: mask) }
            residualForward(out: a.outputSum.pointer, inp: a.attentionNorm.pointer, count: n * c)
            // In inference every layer shares one set of buffers: x (the previous output) was last
            // read by the attention residual above, so overwriting it here is safe.
            layerNormForward(out: a.outputNorm.pointer, mean: a.outputMean.pointer, rstd: a.outputRstd.pointer,
                             inp: a.outputSum.pointer, weight: p + w.outputNormWeight, bias: p + w.outputNormBias,
                             n: n, c: c, eps: eps)
            x = UnsafePointer(a.outputNorm.pointer)
        }
        // Pooler: dense + tanh on each text's [CLS] row (rows b·T of the last hidden state).
        linearForward(out: acts.pooled.pointer, inp: x, weight: p + lay.poolerWeight, bias: p + lay.poolerBias,
                      n: b, inFeatures: c, outFeatures: c, inputStride: t * c)
        tanhForward(out: acts.pooled.pointer, inp: acts.pooled.pointer, count: b * c)
        if acts.training {
            acts.pooledDropped.pointer.update(from: acts.pooled.pointer, count: b * c)
            if let mask = dropout?.mask(.classifier) { dropoutForward(acts.pooledDropped.pointer, count: b * c, mask: mask) }
        }
        linearForward(out: acts.logits.pointer, inp: classifierInput(acts), weight: p + lay.classifierWeight,
                      bias: p + lay.classifierBias, n: b, inFeatures: c, outFeatures: config.numLabels)
        return Array(acts.logits[0..<(b * config.numLabels)])
    }

    /// What the classifier reads: the pooled output, after dropout when training.
    func classifierInput(_ acts: Activations) -> UnsafeMutablePointer<Float> {
        acts.training ? acts.pooledDropped.pointer : acts.pooled.pointer
    }

    /// The last hidden state after `forward`, (B, T, C) row-major.
    public func lastHiddenState(_ batch: TokenBatch, acts: Activations) -> [Float] {
        Array(acts.layer(config.numHiddenLayers - 1).outputNorm[0..<(batch.size * batch.length * config.hiddenSize)])
    }

    /// The pooler output after `forward`, (B, C) row-major.
    public func pooledOutput(_ batch: TokenBatch, acts: Activations) -> [Float] {
        Array(acts.pooled[0..<(batch.size * config.hiddenSize)])
    }
}
