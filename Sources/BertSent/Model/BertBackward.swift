extension BertModel {
    /// Backpropagates the logits' gradient (in `acts.gradients.logits`, (B, numLabels)) through the
    /// model as the last `forward(batch, acts, dropout)` ran it, adding each parameter's gradient into
    /// `grads` (same layout as `parameters`). Adding, not overwriting, is what lets micro-batches
    /// accumulate into one update.
    func backward(_ batch: TokenBatch, acts: Activations, grads: FloatBuffer, dropout: DropoutPlan?) {
        guard let g = acts.gradients else { preconditionFailure("backward needs training activations") }
        let b = batch.size, t = batch.length, n = b * t
        let c = config.hiddenSize, i = config.intermediateSize, h = config.numAttentionHeads
        let p = UnsafePointer(parameters.pointer), d = grads.pointer, lay = layout

        // Classifier, its dropout, the pooler's tanh and dense layer on the [CLS] rows.
        linearBackward(dinp: g.pooled.pointer, dweight: d + lay.classifierWeight, dbias: d + lay.classifierBias,
                       dout: g.logits.pointer, inp: classifierInput(acts), weight: p + lay.classifierWeight,
                       n: b, inFeatures: c, outFeatures: config.numLabels)
        if let mask = dropout?.mask(.classifier) { dropoutBackward(g.pooled.pointer, count: b * c, mask: mask) }
        tanhBackward(dinp: g.pooled.pointer, dout: g.pooled.pointer, out: acts.pooled.pointer, count: b * c)
        var dOut = g.output, dIn = g.input
        dOut.pointer.update(repeating: 0, count: n * c)
        linearBackward(dinp: dOut.pointer, dweight: d + lay.poolerWeight, dbias: d + lay.poolerBias, dout: g.pooled.pointer,
                       inp: acts.layer(config.numHiddenLayers - 1).outputNorm.pointer, weight: p + lay.poolerWeight,
                       n: b, inFeatures: c, outFeatures: c, inputStride: t * c)

        for (l, w) in lay.layers.enumerated().reversed() {
            let a = acts.layer(l)
            let x = l == 0 ? acts.embeddingNorm.pointer : acts.layer(l - 1).outputNorm.pointer
            // Output block: LayerNorm(dropout(dense(gelu(dense(attentionNorm)))) + attentionNorm).
            layerNormBackward(dinp: g.a.pointer, dweight: d + w.outputNormWeight, dbias: d + w.outputNormBias,
                              dout: dOut.pointer, inp: a.outputSum.pointer, weight: p + w.outputNormWeight,
                              mean: a.outputMean.pointer, rstd: a.outputRstd.pointer, n: n, c: c)
            g.b.pointer.update(from: g.a.pointer, count: n * c)
            if let mask = dropout?.mask(.output(l)) { dropoutBackward(g.b.pointer, count: n * c, mask: mask) }
            linearBackward(dinp: g.intermediate.pointer, dweight: d + w.output, dbias: d + w.outputBias, dout: g.b.pointer,
                           inp: a.gelu.pointer, weight: p + w.output, n: n, inFeatures: i, outFeatures: c)
            geluBackward(dinp: g.intermediate.pointer, dout: g.intermediate.pointer, inp: a.intermediate.pointer, count: n * i)
            // g.a already holds the residual's share of the attention block's gradient; add the FFN's.
            linearBackward(dinp: g.a.pointer, dweight: d + w.intermediate, dbias: d + w.intermediateBias,
                           dout: g.intermediate.pointer, inp: a.attentionNorm.pointer, weight: p + w.intermediate,
                           n: n, inFeatures: c, outFeatures: i, accumulateInput: true)
            // Attention block: LayerNorm(dropout(dense(attention(x))) + x).
            layerNormBackward(dinp: dIn.pointer, dweight: d + w.attentionNormWeight, dbias: d + w.attentionNormBias,
                              dout: g.a.pointer, inp: a.attentionSum.pointer, weight: p + w.attentionNormWeight,
                              mean: a.attentionMean.pointer, rstd: a.attentionRstd.pointer, n: n, c: c)
            g.b.pointer.update(from: dIn.pointer, count: n * c)
            if let mask = dropout?.mask(.attentionOutput(l)) { dropoutBackward(g.b.pointer, count: n * c, mask: mask) }
            linearBackward(dinp: g.a.pointer, dweight: d + w.attentionOutput, dbias: d + w.attentionOutputBias,
                           dout: g.b.pointer, inp: a.ctx.pointer, weight: p + w.attentionOutput, n: n, inFeatures: c, outFeatures: c)
            batch.lengths.withUnsafeBufferPointer { lengths in
                attentionBackward(dq: g.dq.pointer, dk: g.dk.pointer, dv: g.dv.pointer, dctx: g.a.pointer, att: a.att.pointer,
                                  q: a.q.pointer, k: a.k.pointer, v: a.v.pointer, lengths: lengths.baseAddress!,
                                  batch: b, seq: t, heads: h, channels: c,
                                  dropout: dropout?.mask(.attentionProbabilities(l)), scratch: acts.attentionScratch.pointer)
            }
            // dIn holds the residual's share of dx; add what flows back through Q, K and V.
            for (dproj, weight, bias) in [(g.dq, w.query, w.queryBias), (g.dk, w.key, w.keyBias), (g.dv, w.value, w.valueBias)] {
                linearBackward(dinp: dIn.pointer, dweight: d + weight, dbias: d + bias, dout: dproj.pointer, inp: x,
                               weight: p + weight, n: n, inFeatures: c, outFeatures: c, accumulateInput: true)
            }
            swap(&dOut, &dIn)
        }

        // Embeddings: dropout, LayerNorm, then the three lookups.
        if let mask = dropout?.mask(.embeddings) { dropoutBackward(dOut.pointer, count: n * c, mask: mask) }
        layerNormBackward(dinp: dIn.pointer, dweight: d + lay.embeddingNormWeight, dbias: d + lay.embeddingNormBias,
                          dout: dOut.pointer, inp: acts.embeddingSum.pointer, weight: p + lay.embeddingNormWeight,
                          mean: acts.embeddingMean.pointer, rstd: acts.embeddingRstd.pointer, n: n, c: c)
        batch.ids.withUnsafeBufferPointer { ids in
            batch.typeIds.withUnsafeBufferPointer { types in
                embeddingBackward(dword: d + lay.wordEmbeddings, dposition: d + lay.positionEmbeddings,
                                  dtokenType: d + lay.tokenTypeEmbeddings, dout: dIn.pointer, ids: ids.baseAddress!,
                                  typeIds: types.baseAddress!, padId: Int32(config.padTokenId), batch: b, seq: t, channels: c)
            }
        }
    }
}
