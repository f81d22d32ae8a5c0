/// Multi-head self-attention with a right-padding mask, fused per (sample, head): for each sample b
/// and head h, S = Q·Kᵀ/√hs over the first lengths[b] keys, P = softmax(S), ctx = dropout(P)·V.
/// k and v are (B, T, C); q and ctx are (B, Q, C) for Q query rows per sample — T for every position,
/// or 1 when only [CLS] is needed (the last layer of a classifier); head h is columns h·hs..<(h+1)·hs.
///
/// No (B, H, Q, T) tensor exists: each core works one (sample, head) at a time in its own Q × length
/// slice of `scratch` (`attentionScratchCount`), which stays in cache. For training, `logSumExp`
/// (B, H, Q) keeps each row's log Σ exp so `attentionBackward` can recompute P, as FlashAttention
/// does: one more Q·Kᵀ per head instead of storing 4·B·H·T² bytes per layer.
package func attentionForward(
    ctx: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>?,
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    lengths: UnsafePointer<Int32>, batch: Int, seq: Int, queries: Int, heads: Int, channels: Int,
    dropout: SampleDropout? = nil, scratch: UnsafeMutablePointer<Float>
) {
    let hs = channels / heads
    forEachHead(batch: batch, heads: heads, scratch: scratch, slot: queries * seq) { bh, p in
        let b = bh / heads, h = bh % heads
        let length = Int(lengths[b])
        let queryOffset = b * queries * channels + h * hs, keyOffset = b * seq * channels + h * hs
        attentionScores(
            p, q: q + queryOffset, k: k + keyOffset, queries: queries, length: length, headSize: hs, channels: channels)
        softmaxRows(p, n: queries, c: length, stride: length, logSumExp: logSumExp.map { $0 + bh * queries })
        if let dropout {
            applyDropout(p, from: p, rows: queries, length: length, mask: dropout.mask(sample: b), head: h)
        }
        gemm(
            m: queries, n: hs, k: length, a: p, lda: length, b: v + keyOffset, ldb: channels,
            c: ctx + queryOffset, ldc: channels, parallel: false)
    }
}

/// Gradients of `attentionForward` (overwriting dq (B, Q, C), dk and dv (B, T, C)) from dctx, the
/// forward pass's log Σ exp and, with dropout, the regenerated mask. P is recomputed per head:
///   dV = Pᵈᵀ·dctx,  dPᵈ = dctx·Vᵀ,  dP = dPᵈ ⊙ mask,  dS = P ⊙ (dP − rowsum(P ⊙ dP)),
///   dQ = dS·K/√hs,  dK = dSᵀ·Q/√hs;  rows of padded keys get zero dK and dV.
package func attentionBackward(
    dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
    dctx: UnsafePointer<Float>, logSumExp: UnsafePointer<Float>,
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    lengths: UnsafePointer<Int32>, batch: Int, seq: Int, queries: Int, heads: Int, channels: Int,
    dropout: SampleDropout?, scratch: UnsafeMutablePointer<Float>
) {
    let hs = channels / heads
    let scale = 1 / Float(hs).squareRoot()
    forEachHead(batch: batch, heads: heads, scratch: scratch, slot: 2 * queries * seq) { bh, p in
        let b = bh / heads, h = bh % heads
        let length = Int(lengths[b])
        let queryOffset = b * queries * channels + h * hs, keyOffset = b * seq * channels + h * hs
        let dp = p + queries * length
        attentionScores(
            p, q: q + queryOffset, k: k + keyOffset, queries: queries, length: length, headSize: hs, channels: channels)
        softmaxRecomputeRows(p, n: queries, c: length, stride: length, logSumExp: logSumExp + bh * queries)
        var probabilities = UnsafePointer(p)
        if let dropout {
            applyDropout(dp, from: p, rows: queries, length: length, mask: dropout.mask(sample: b), head: h)
            probabilities = UnsafePointer(dp)
        }
        gemm(
            transA: true, m: length, n: hs, k: queries, a: probabilities, lda: length, b: dctx + queryOffset,
            ldb: channels,
            c: dv + keyOffset, ldc: channels, parallel: false)
        gemm(
            transB: true, m: queries, n: length, k: hs, a: dctx + queryOffset, lda: channels, b: v + keyOffset,
            ldb: channels,
            c: dp, ldc: length, parallel: false)
        if let dropout {
            applyDropout(dp, from: dp, rows: queries, length: length, mask: dropout.mask(sample: b), head: h)
        }
        softmaxBackwardRows(dp, p: p, n: queries, valid: length, stride: length)
        gemm(
            m: queries, n: hs, k: length, alpha: scale, a: dp, lda: length, b: k + keyOffset, ldb: channels,
            c: dq + queryOffset, ldc: channels, parallel: false)
        gemm(
            transA: true, m: length, n: hs, k: queries, alpha: scale, a: dp, lda: length, b: q + queryOffset,
            ldb: channels,
            c: dk + keyOffset, ldc: channels, parallel: false)
        for row in length..<seq {
            (dk + keyOffset + row * channels).update(repeating: 0, count: hs)
            (dv + keyOffset + row * channels).update(repeating: 0, count: hs)
        }
    }
}

/// Floats of scratch the attention kernels need for up to `queries` × `seq` scores per head: one
/// such matrix per core in the forward pass, two (P and dP) in the backward pass.
package func attentionScratchCount(queries: Int, seq: Int, backward: Bool) -> Int {
    coreCount * queries * seq * (backward ? 2 : 1)
}

/// Runs `body(bh, slotScratch)` for every (sample, head) index bh in 0..<batch·heads, one worker per
/// core, each with its own `slot` floats of `scratch`. Worker w takes bh = w, w + workers, …, so every
/// worker gets heads of every sample and texts of different lengths balance out.
private func forEachHead(
    batch: Int, heads: Int, scratch: UnsafeMutablePointer<Float>, slot: Int,
    _ body: (Int, UnsafeMutablePointer<Float>) -> Void
) {
    let count = batch * heads, workers = min(coreCount, count)
    parallelFor(workers) { w in
        for bh in stride(from: w, to: count, by: workers) { body(bh, scratch + w * slot) }
    }
}

/// S = Q·Kᵀ/√hs for one head: (queries × length) with row stride `length`, from q (queries rows) and
/// k (length rows), both with row stride `channels`.
private func attentionScores(
    _ s: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
    queries: Int, length: Int, headSize hs: Int, channels: Int
) {
    gemm(
        transB: true, m: queries, n: length, k: hs, alpha: 1 / Float(hs).squareRoot(),
        a: q, lda: channels, b: k, ldb: channels, c: s, ldc: length, parallel: false)
}

/// out[i, j] = x[i, j] · mask for `rows` rows of `length` columns (row stride `length`), with the sample's
/// mask. A mask index is unique per (head, i, j), counted in rows and columns of `maxPositions`, so forward
/// and backward draw the same mask whatever the text's length and its batch's padding.
private func applyDropout(
    _ out: UnsafeMutablePointer<Float>, from x: UnsafePointer<Float>, rows: Int, length: Int, mask: DropoutMask,
    head: Int
) {
    for i in 0..<rows {
        mask.apply(
            out + i * length, from: x + i * length, count: length,
            offset: (head * maxPositions + i) * maxPositions)
    }
}

/// The longest sequence dropout's mask indices allow for (BERT's is 512).
private let maxPositions = 1 << 14
