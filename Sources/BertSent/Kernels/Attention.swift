/// Multi-head self-attention with a right-padding mask: for each sample b and head h,
/// att = softmax(Q·Kᵀ/√hs over the first lengths[b] keys), ctx = dropout(att)·V.
/// q, k, v and ctx are (B, T, C) with head h in columns h·hs..<(h+1)·hs; att is (B, H, T, T) and is
/// kept for the backward pass (columns of padded keys are 0). With dropout, the dropped
/// probabilities go to `scratch` (same shape as att).
func attentionForward(
    ctx: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    lengths: UnsafePointer<Int32>, batch: Int, seq: Int, heads: Int, channels: Int,
    dropout: DropoutMask? = nil, scratch: UnsafeMutablePointer<Float>? = nil
) {
    let hs = channels / heads
    let scale = 1 / Float(hs).squareRoot()
    parallelFor(batch * heads) { bh in
        let b = bh / heads, h = bh % heads
        let length = Int(lengths[b])
        let offset = b * seq * channels + h * hs
        let scores = att + bh * seq * seq
        gemm(transB: true, m: seq, n: length, k: hs, alpha: scale,
             a: q + offset, lda: channels, b: k + offset, ldb: channels, c: scores, ldc: seq, parallel: false)
        softmaxRows(scores, n: seq, c: seq, valid: length, stride: seq)
        var probabilities = UnsafePointer(scores)
        if let dropout, let scratch {
            let dropped = scratch + bh * seq * seq
            applyDropout(dropped, from: scores, rows: seq, length: length, seq: seq, mask: dropout, block: bh)
            probabilities = UnsafePointer(dropped)
        }
        gemm(m: seq, n: hs, k: length, a: probabilities, lda: seq, b: v + offset, ldb: channels,
             c: ctx + offset, ldc: channels, parallel: false)
    }
}

/// Gradients of `attentionForward` (overwriting dq, dk, dv, all (B, T, C)) from dctx, the kept
/// probabilities and, with dropout, the regenerated mask. `scratch` holds two att-sized buffers.
///   dV = Pᵈᵀ·dctx,  dPᵈ = dctx·Vᵀ,  dP = dPᵈ ⊙ mask,  dS = P ⊙ (dP − rowsum(P ⊙ dP)),
///   dQ = dS·K/√hs,  dK = dSᵀ·Q/√hs;  rows of padded keys get zero dK and dV.
func attentionBackward(
    dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
    dctx: UnsafePointer<Float>, att: UnsafePointer<Float>,
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    lengths: UnsafePointer<Int32>, batch: Int, seq: Int, heads: Int, channels: Int,
    dropout: DropoutMask?, scratch: UnsafeMutablePointer<Float>
) {
    let hs = channels / heads
    let scale = 1 / Float(hs).squareRoot()
    let block = batch * heads * seq * seq
    parallelFor(batch * heads) { bh in
        let b = bh / heads, h = bh % heads
        let length = Int(lengths[b])
        let offset = b * seq * channels + h * hs
        let p = att + bh * seq * seq
        let dp = scratch + bh * seq * seq
        var probabilities = p
        if let dropout {
            let dropped = scratch + block + bh * seq * seq
            applyDropout(dropped, from: p, rows: seq, length: length, seq: seq, mask: dropout, block: bh)
            probabilities = UnsafePointer(dropped)
        }
        gemm(transA: true, m: length, n: hs, k: seq, a: probabilities, lda: seq, b: dctx + offset, ldb: channels,
             c: dv + offset, ldc: channels, parallel: false)
        gemm(transB: true, m: seq, n: length, k: hs, a: dctx + offset, lda: channels, b: v + offset, ldb: channels,
             c: dp, ldc: seq, parallel: false)
        if let dropout {
            applyDropout(dp, from: dp, rows: seq, length: length, seq: seq, mask: dropout, block: bh)
        }
        softmaxBackwardRows(dp, p: p, n: seq, valid: length, stride: seq)
        gemm(m: seq, n: hs, k: length, alpha: scale, a: dp, lda: seq, b: k + offset, ldb: channels,
             c: dq + offset, ldc: channels, parallel: false)
        gemm(transA: true, m: length, n: hs, k: seq, alpha: scale, a: dp, lda: seq, b: q + offset, ldb: channels,
             c: dk + offset, ldc: channels, parallel: false)
        for row in length..<seq {
            (dk + offset + row * channels).update(repeating: 0, count: hs)
            (dv + offset + row * channels).update(repeating: 0, count: hs)
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
        mask.apply(out + i * seq, from: x + i * seq, count: length, offset: (block * seq + i) * seq)
    }
}
