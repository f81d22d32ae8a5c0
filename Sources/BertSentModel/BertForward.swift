import BertSentCore

extension BertModel {
    /// Runs embeddings → encoder layers → pooler (or pre_classifier) → classifier on `batch`, writing every intermediate
    /// into `acts` and returning the logits, (B, numLabels) row-major. With a dropout plan (training
    /// activations only) dropout is applied where transformers applies it.
    ///
    /// The classifier reads only each text's [CLS] row of the last layer, so that layer computes
    /// queries, attention output and feed-forward for those rows alone (keys and values still for
    /// every token) — the same logits for a sixth less work. `allPositions` computes every row, for
    /// `lastHiddenState`. Padded positions are masked as keys, so each text's result does not depend
    /// on the padding. With `packed`, weights converted from this model, the encoder's linear layers run
    /// in bf16 or int8 (inference); training activations made with precision bf16 run them in bf16 too.
    @discardableResult
    package func forward(
        _ batch: TokenBatch, acts: Activations, dropout: DropoutPlan? = nil, allPositions: Bool = false,
        packed: PackedEncoderWeights? = nil
    ) throws -> [Float] {
        try batch.validate(for: config)
        guard acts.fits(batch) else {
            throw ModelError.batchExceedsCapacity(
                size: batch.size, length: batch.length, maxBatch: acts.maxBatch, maxSequence: acts.maxSequence)
        }
        guard dropout == nil || acts.training else { throw ModelError.dropoutNeedsTrainingActivations }
        if let packed {
            guard !acts.training else { throw ModelError.packedWeightsInTraining(packed.precision) }
            guard packed.fits(config) else { throw ModelError.packedWeightsFromAnotherModel(packed.precision) }
        }
        let b = batch.size, t = batch.length, n = b * t, c = config.hiddenSize
        let p = UnsafePointer(parameters.pointer), lay = layout
        acts.allPositions = allPositions

        batch.ids.withUnsafeBufferPointer { ids in
            batch.typeIds.withUnsafeBufferPointer { types in
                embeddingForward(
                    out: acts.embeddingSum.pointer, ids: ids.baseAddress!, typeIds: types.baseAddress!,
                    word: p + lay.wordEmbeddings, position: p + lay.positionEmbeddings,
                    tokenType: lay.tokenTypeEmbeddings.map { p + $0 }, batch: b, seq: t, channels: c)
            }
        }
        layerNormForward(
            out: acts.embeddingNorm.pointer, mean: acts.embeddingMean.pointer, rstd: acts.embeddingRstd.pointer,
            inp: acts.embeddingSum.pointer, weight: p + lay.embeddingNormWeight, bias: p + lay.embeddingNormBias,
            n: n, c: c, eps: Float(config.layerNormEps))
        // In place: the LayerNorm's backward needs its input, not its output.
        if let mask = dropout?.mask(.embeddings) {
            dropoutForward(acts.embeddingNorm.pointer, count: n * c, masks: mask)
        }
        var x = UnsafePointer(acts.embeddingNorm.pointer)
        for l in lay.layers.indices {
            batch.lengths.withUnsafeBufferPointer { lengths in
                layerForward(
                    l, x: x, acts: acts, batch: b, seq: t, queries: queryRows(layer: l, acts: acts, seq: t),
                    lengths: lengths.baseAddress!, dropout: dropout, packed: packed?.layers[l])
            }
            x = UnsafePointer(acts.layer(l).outputNorm.pointer)
        }
        // Pooler: dense + tanh (DistilBERT's pre_classifier: dense + ReLU) on each text's [CLS] row of the
        // last layer's output.
        linearForward(
            out: acts.pooled.pointer, inp: x, weight: p + lay.poolerWeight, bias: p + lay.poolerBias,
            n: b, inFeatures: c, outFeatures: c,
            inputStride: queryRows(layer: lay.layers.count - 1, acts: acts, seq: t) * c)
        switch config.architecture {
        case .bert: tanhForward(out: acts.pooled.pointer, inp: acts.pooled.pointer, count: b * c)
        case .distilbert: reluForward(out: acts.pooled.pointer, inp: acts.pooled.pointer, count: b * c)
        }
        if acts.training {
            acts.pooledDropped.pointer.update(from: acts.pooled.pointer, count: b * c)
            if let mask = dropout?.mask(.classifier) {
                dropoutForward(acts.pooledDropped.pointer, count: b * c, masks: mask)
            }
        }
        linearForward(
            out: acts.logits.pointer, inp: classifierInput(acts), weight: p + lay.classifierWeight,
            bias: p + lay.classifierBias, n: b, inFeatures: c, outFeatures: config.numLabels)
        return Array(acts.logits[0..<(b * config.numLabels)])
    }

    /// Query rows per text that layer `l` computes: every position, or [CLS] alone in the last layer.
    func queryRows(layer l: Int, acts: Activations, seq: Int) -> Int {
        l == layout.layers.count - 1 && !acts.allPositions ? 1 : seq
    }

    /// One encoder layer on input x (B, T, C) for `queries` rows per text (T, or 1: the [CLS] rows,
    /// each sample's row 0):
    /// attentionNorm = LayerNorm(dropout(dense(attention(x))) + x), then
    /// outputNorm = LayerNorm(dropout(dense(gelu(dense(attentionNorm)))) + attentionNorm), both (B·queries, C).
    /// The dense layers run on `packed`'s weights when given, or on the bf16 kernel with the weights
    /// packed per call when `acts` is for training in bf16.
    func layerForward(
        _ l: Int, x: UnsafePointer<Float>, acts: Activations, batch b: Int, seq t: Int, queries: Int,
        lengths: UnsafePointer<Int32>, dropout: DropoutPlan?, packed: PackedEncoderWeights.Layer? = nil
    ) {
        let a = acts.layer(l), w = layout.layers[l], p = UnsafePointer(parameters.pointer)
        let n = b * t, rows = b * queries, c = config.hiddenSize, i = config.intermediateSize
        let queryStride = queries == t ? c : t * c
        let eps = Float(config.layerNormEps), packing = acts.bf16Packing
        linearForward(
            out: a.q.pointer, inp: x, weight: p + w.query, bias: p + w.queryBias, n: rows, inFeatures: c,
            outFeatures: c,
            inputStride: queryStride, packed: packed?.query, packing: packing)
        linearForward(
            out: a.k.pointer, inp: x, weight: p + w.key, bias: p + w.keyBias, n: n, inFeatures: c, outFeatures: c,
            packed: packed?.key, packing: packing)
        linearForward(
            out: a.v.pointer, inp: x, weight: p + w.value, bias: p + w.valueBias, n: n, inFeatures: c, outFeatures: c,
            packed: packed?.value, packing: packing)
        attentionForward(
            ctx: a.ctx.pointer, logSumExp: acts.training ? a.logSumExp.pointer : nil, q: a.q.pointer, k: a.k.pointer,
            v: a.v.pointer,
            lengths: lengths, batch: b, seq: t, queries: queries, heads: config.numAttentionHeads, channels: c,
            dropout: dropout?.mask(.attentionProbabilities(l)), scratch: acts.attentionScratch.pointer)
        linearForward(
            out: a.attentionSum.pointer, inp: a.ctx.pointer, weight: p + w.attentionOutput,
            bias: p + w.attentionOutputBias, n: rows, inFeatures: c, outFeatures: c, packed: packed?.attentionOutput,
            packing: packing)
        if let mask = dropout?.mask(.attentionOutput(l)) {
            dropoutForward(a.attentionSum.pointer, count: rows * c, masks: mask)
        }
        layerNormForward(
            out: a.attentionNorm.pointer, mean: a.attentionMean.pointer, rstd: a.attentionRstd.pointer,
            inp: a.attentionSum.pointer, residual: x, residualStride: queryStride, weight: p + w.attentionNormWeight,
            bias: p + w.attentionNormBias,
            n: rows, c: c, eps: eps)
        linearForward(
            out: a.intermediate.pointer, inp: a.attentionNorm.pointer, weight: p + w.intermediate,
            bias: p + w.intermediateBias, n: rows, inFeatures: c, outFeatures: i, packed: packed?.intermediate,
            packing: packing)
        geluForward(out: acts.gelu.pointer, inp: a.intermediate.pointer, count: rows * i)
        linearForward(
            out: a.outputSum.pointer, inp: acts.gelu.pointer, weight: p + w.output, bias: p + w.outputBias,
            n: rows, inFeatures: i, outFeatures: c, packed: packed?.output, packing: packing)
        if let mask = dropout?.mask(.output(l)) { dropoutForward(a.outputSum.pointer, count: rows * c, masks: mask) }
        // In inference every layer shares one set of buffers: x (the previous output) was last read by
        // the attention block's residual above, so overwriting it here is safe.
        layerNormForward(
            out: a.outputNorm.pointer, mean: a.outputMean.pointer, rstd: a.outputRstd.pointer,
            inp: a.outputSum.pointer, residual: a.attentionNorm.pointer, residualStride: c,
            weight: p + w.outputNormWeight, bias: p + w.outputNormBias,
            n: rows, c: c, eps: eps)
    }

    /// What the classifier reads: the pooled output, after dropout when training.
    func classifierInput(_ acts: Activations) -> UnsafeMutablePointer<Float> {
        acts.training ? acts.pooledDropped.pointer : acts.pooled.pointer
    }

    /// The last hidden state after `forward(…, allPositions: true)`, (B, T, C) row-major.
    package func lastHiddenState(_ batch: TokenBatch, acts: Activations) throws -> [Float] {
        guard acts.allPositions else { throw ModelError.lastHiddenStateNeedsAllPositions }
        return Array(
            acts.layer(config.numHiddenLayers - 1).outputNorm[0..<(batch.size * batch.length * config.hiddenSize)])
    }

    /// The pooler output after `forward`, (B, C) row-major.
    package func pooledOutput(_ batch: TokenBatch, acts: Activations) -> [Float] {
        Array(acts.pooled[0..<(batch.size * config.hiddenSize)])
    }
}
