/// Multi-head self-attention with a right-padding mask: for each sample b and head h,
/// att = softmax(Q·Kᵀ/√hs over the first lengths[b] keys), ctx = dropout(att)·V.
/// k and v are (B, T, C); q and ctx are (B, Q, C) for Q query rows per sample — T for every position,
/// or 1 when only [CLS] is needed (the last layer of a classifier); head h is columns h·hs..<(h+1)·hs.
/// att is (B, H, Q, T) and is kept for the backward pass (columns of padded keys are 0). With dropout,
/// the dropped probabilities go to `scratch` (att's size).
func attentionForward(
    ctx: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    lengths: UnsafePointer<Int32>, batch: Int, seq: Int, queries: Int, heads: Int, channels: Int,
    dropout: DropoutMask? = nil, scratch: UnsafeMutablePointer<Float>? = nil
) {
    let hs = channels / heads
    let scale = 1 / Float(hs).squareRoot()
    parallelFor(batch * heads) { bh in
        let b = bh / heads, h = bh % heads
        let length = Int(lengths[b])
        let queryOffset = b * queries * channels + h * hs, keyOffset = b * seq * channels + h * hs
        let scores = att + bh * queries * seq
        gemm(transB: true, m: queries, n: length, k: hs, alpha: scale,
             a: q + queryOffset, lda: channels, b: k + keyOffset, ldb: channels, c: scores, ldc: seq, parallel: false)
        softmaxRows(scores, n: queries, c: seq, valid: length, stride: seq)
        var probabilities = UnsafePointer(scores)
        if let dropout, let scratch {
            let dropped = scratch + bh * queries * seq
            applyDropout(dropped, from: scores, rows: queries, length: length, seq: seq, mask: dropout, block: bh)
            probabilities = UnsafePointer(dropped)
        }
        gemm(m: queries, n: hs, k: length, a: probabilities, lda: seq, b: v + keyOffset, ldb: channels,
             c: ctx + queryOffset, ldc: channels, parallel: false)
    }
}

/// Gradients of `attentionForward` (overwriting dq (B, Q, C), dk and dv (B, T, C)) from dctx, the kept
/// probabilities and, with dropout, the regenerated mask. `scratch` holds two att-sized buffers.
///   dV = Pᵈᵀ·dctx,  dPᵈ = dctx·Vᵀ,  dP = dPᵈ ⊙ mask,  dS = P ⊙ (dP − rowsum(P ⊙ dP)),
///   dQ = dS·K/√hs,  dK = dSᵀ·Q/√hs;  rows of padded keys get zero dK and dV.
func attentionBackward(
    dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
    dctx: UnsafePointer<Float>, att: UnsafePointer<Float>,
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    lengths: UnsafePointer<Int32>, batch: Int, seq: Int, queries: Int, heads: Int, channels: Int,
    dropout: DropoutMask?, scratch: UnsafeMutablePointer<Float>
) {
    let hs = channels / heads
    let scale = 1 / Float(hs).squareRoot()
    let block = batch * heads * queries * seq
    parallelFor(batch * heads) { bh in
        let b = bh / heads, h = bh % heads
        let length = Int(lengths[b])
        let queryOffset = b * queries * channels + h * hs, keyOffset = b * seq * channels + h * hs
        let p = att + bh * queries * seq
        let dp = scratch + bh * queries * seq
        var probabilities = p
        if let dropout {
            let dropped = scratch + block + bh * queries * seq
            applyDropout(dropped, from: p, rows: queries, length: length, seq: seq, mask: dropout, block: bh)
            probabilities = UnsafePointer(dropped)
        }
        gemm(transA: true, m: length, n: hs, k: queries, a: probabilities, lda: seq, b: dctx + queryOffset, ldb: channels,
             c: dv + keyOffset, ldc: channels, parallel: false)
        gemm(transB: true, m: queries, n: length, k: hs, a: dctx + queryOffset, lda: channels, b: v + keyOffset, ldb: channels,
             c: dp, ldc: seq, parallel: false)
        if let dropout {
            applyDropout(dp, from: dp, rows: queries, length: length, seq: seq, mask: dropout, block: bh)
        }
        softmaxBackwardRows(dp, p: p, n: queries, valid: length, stride: seq)
        gemm(m: queries, n: hs, k: length, alpha: scale, a: dp, lda: seq, b: k + keyOffset, ldb: channels,
             c: dq + queryOffset, ldc: channels, parallel: false)
        gemm(transA: true, m: length, n: hs, k: queries, alpha: scale, a: dp, lda: seq, b: q + queryOffset, ldb: channels,
             c: dk + keyOffset, ldc: channels, parallel: false)
        for row in length..<seq {
            (dk + keyOffset + row * channels).update(repeating: 0, count: hs)
            (dv + keyOffset + row * channels).update(repeating: 0, count: hs)
        }
    }
}

/// out[i, j] = x[i, j] · mask for the first `length` columns of `rows` rows (row stride `seq`); mask
/// indices are unique per (block, i, j), so forward and backward draw the same mask.
private func applyDropout(
    _ out: UnsafeMutablePointer<Float>, from x: UnsafePointer<Float>, rows: Int, length: Int, seq: Int,
    mask: DropoutMask, block: Int
) {
    for i in 0..<rows {
        mask.apply(out + i * seq, from: x + i * seq, count: length, offset: (block * rows + i) * seq)
    }
}
