import BertSentCore

extension BertModel {
    /// Backpropagates the logits' gradient (in `acts.gradients.logits`, (B, numLabels)) through the
    /// model as the last `forward(batch, acts, dropout)` ran it, adding each parameter's gradient into
    /// `grads` (same layout as `parameters`). Adding, not overwriting, is what lets micro-batches
    /// accumulate into one update.
    package func backward(_ batch: TokenBatch, acts: Activations, grads: FloatBuffer, dropout: DropoutPlan?) {
        guard let g = acts.gradients else { preconditionFailure("backward needs training activations") }
        let b = batch.size, t = batch.length, n = b * t, c = config.hiddenSize
        let p = UnsafePointer(parameters.pointer), d = grads.pointer, lay = layout
        let last = lay.layers.count - 1

        // Classifier, its dropout, the pooler's activation and dense layer on the [CLS] rows.
        linearBackward(
            dinp: g.pooled.pointer, dweight: d + lay.classifierWeight, dbias: d + lay.classifierBias,
            dout: g.logits.pointer, inp: classifierInput(acts), weight: p + lay.classifierWeight,
            n: b, inFeatures: c, outFeatures: config.numLabels)
        if let mask = dropout?.mask(.classifier) { dropoutBackward(g.pooled.pointer, count: b * c, masks: mask) }
        switch config.architecture {
        case .bert: tanhBackward(dinp: g.pooled.pointer, dout: g.pooled.pointer, out: acts.pooled.pointer, count: b * c)
        case .distilbert:
            reluBackward(dinp: g.pooled.pointer, dout: g.pooled.pointer, out: acts.pooled.pointer, count: b * c)
        }
        var dOut = g.output, dIn = g.input
        let lastQueries = queryRows(layer: last, acts: acts, seq: t)
        dOut.pointer.update(repeating: 0, count: b * lastQueries * c)
        linearBackward(
            dinp: dOut.pointer, dweight: d + lay.poolerWeight, dbias: d + lay.poolerBias, dout: g.pooled.pointer,
            inp: acts.layer(last).outputNorm.pointer, weight: p + lay.poolerWeight,
            n: b, inFeatures: c, outFeatures: c, inputStride: lastQueries * c)

        for l in lay.layers.indices.reversed() {
            let x = l == 0 ? acts.embeddingNorm.pointer : acts.layer(l - 1).outputNorm.pointer
            batch.lengths.withUnsafeBufferPointer { lengths in
                layerBackward(
                    l, x: x, dout: dOut.pointer, dinp: dIn.pointer, acts: acts, grads: grads, batch: b, seq: t,
                    queries: queryRows(layer: l, acts: acts, seq: t), lengths: lengths.baseAddress!, dropout: dropout)
            }
            swap(&dOut, &dIn)
        }

        // Embeddings: dropout, LayerNorm, then the three lookups.
        if let mask = dropout?.mask(.embeddings) { dropoutBackward(dOut.pointer, count: n * c, masks: mask) }
        layerNormBackward(
            dinp: dIn.pointer, dweight: d + lay.embeddingNormWeight, dbias: d + lay.embeddingNormBias,
            dout: dOut.pointer, inp: acts.embeddingSum.pointer, weight: p + lay.embeddingNormWeight,
            mean: acts.embeddingMean.pointer, rstd: acts.embeddingRstd.pointer, n: n, c: c)
        batch.ids.withUnsafeBufferPointer { ids in
            batch.typeIds.withUnsafeBufferPointer { types in
                embeddingBackward(
                    dword: d + lay.wordEmbeddings, dposition: d + lay.positionEmbeddings,
                    dtokenType: lay.tokenTypeEmbeddings.map { d + $0 }, dout: dIn.pointer, ids: ids.baseAddress!,
                    typeIds: types.baseAddress!, padId: Int32(config.padTokenId), batch: b, seq: t, channels: c)
            }
        }
    }

    /// Gradients of `layerForward`: from dout (B·queries, C), the gradient of the layer's output, writes
    /// dinp (B, T, C), the gradient of its input x, and adds the layer's parameter gradients.
    func layerBackward(
        _ l: Int, x: UnsafePointer<Float>, dout: UnsafePointer<Float>, dinp: UnsafeMutablePointer<Float>,
        acts: Activations, grads: FloatBuffer, batch b: Int, seq t: Int, queries: Int,
        lengths: UnsafePointer<Int32>, dropout: DropoutPlan?
    ) {
        guard let g = acts.gradients else { preconditionFailure("backward needs training activations") }
        let a = acts.layer(l), w = layout.layers[l], p = UnsafePointer(parameters.pointer), d = grads.pointer
        let n = b * t, rows = b * queries, c = config.hiddenSize, i = config.intermediateSize
        let queryStride = queries == t ? c : t * c, packing = acts.bf16Packing

        // Output block: LayerNorm(dropout(dense(gelu(dense(attentionNorm)))) + attentionNorm).
        layerNormBackward(
            dinp: g.dHidden.pointer, dweight: d + w.outputNormWeight, dbias: d + w.outputNormBias,
            dout: dout, inp: a.outputSum.pointer, weight: p + w.outputNormWeight,
            mean: a.outputMean.pointer, rstd: a.outputRstd.pointer, n: rows, c: c)
        g.dBranch.pointer.update(from: g.dHidden.pointer, count: rows * c)
        if let mask = dropout?.mask(.output(l)) { dropoutBackward(g.dBranch.pointer, count: rows * c, masks: mask) }
        // The forward pass left the last layer's GELU output in acts.gelu; earlier layers' is recomputed.
        if l != layout.layers.count - 1 {
            geluForward(out: acts.gelu.pointer, inp: a.intermediate.pointer, count: rows * i)
        }
        linearBackward(
            dinp: g.intermediate.pointer, dweight: d + w.output, dbias: d + w.outputBias, dout: g.dBranch.pointer,
            inp: acts.gelu.pointer, weight: p + w.output, n: rows, inFeatures: i, outFeatures: c, packing: packing)
        geluBackward(
            dinp: g.intermediate.pointer, dout: g.intermediate.pointer, inp: a.intermediate.pointer, count: rows * i)
        // g.dHidden already holds the residual's share of attentionNorm's gradient; add the FFN's.
        linearBackward(
            dinp: g.dHidden.pointer, dweight: d + w.intermediate, dbias: d + w.intermediateBias,
            dout: g.intermediate.pointer, inp: a.attentionNorm.pointer, weight: p + w.intermediate,
            n: rows, inFeatures: c, outFeatures: i, accumulateInput: true, packing: packing)

        // Attention block: LayerNorm(dropout(dense(attention(x))) + x); g.dBranch is the sum's gradient.
        layerNormBackward(
            dinp: g.dBranch.pointer, dweight: d + w.attentionNormWeight, dbias: d + w.attentionNormBias,
            dout: g.dHidden.pointer, inp: a.attentionSum.pointer, weight: p + w.attentionNormWeight,
            mean: a.attentionMean.pointer, rstd: a.attentionRstd.pointer, n: rows, c: c)
        g.dProjection.pointer.update(from: g.dBranch.pointer, count: rows * c)
        if let mask = dropout?.mask(.attentionOutput(l)) {
            dropoutBackward(g.dProjection.pointer, count: rows * c, masks: mask)
        }
        linearBackward(
            dinp: g.dHidden.pointer, dweight: d + w.attentionOutput, dbias: d + w.attentionOutputBias,
            dout: g.dProjection.pointer, inp: a.ctx.pointer, weight: p + w.attentionOutput, n: rows, inFeatures: c,
            outFeatures: c,
            packing: packing)
        attentionBackward(
            dq: g.dq.pointer, dk: g.dk.pointer, dv: g.dv.pointer, dctx: g.dHidden.pointer,
            logSumExp: a.logSumExp.pointer,
            q: a.q.pointer, k: a.k.pointer, v: a.v.pointer, lengths: lengths,
            batch: b, seq: t, queries: queries, heads: config.numAttentionHeads, channels: c,
            dropout: dropout?.mask(.attentionProbabilities(l)), scratch: acts.attentionScratch.pointer)
        // dx = K's and V's shares over every token, Q's and the residual's over the query rows.
        linearBackward(
            dinp: dinp, dweight: d + w.key, dbias: d + w.keyBias, dout: g.dk.pointer, inp: x,
            weight: p + w.key, n: n, inFeatures: c, outFeatures: c, packing: packing)
        linearBackward(
            dinp: dinp, dweight: d + w.value, dbias: d + w.valueBias, dout: g.dv.pointer, inp: x,
            weight: p + w.value, n: n, inFeatures: c, outFeatures: c, accumulateInput: true, packing: packing)
        linearBackward(
            dinp: dinp, dweight: d + w.query, dbias: d + w.queryBias, dout: g.dq.pointer, inp: x,
            weight: p + w.query, n: rows, inFeatures: c, outFeatures: c, inputStride: queryStride,
            accumulateInput: true,
            packing: packing)
        residualBackward(dinp: dinp, dout: g.dBranch.pointer, rows: rows, channels: c, inputStride: queryStride)
    }
}
