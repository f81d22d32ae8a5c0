/// Multi-head self-attention with a right-padding mask: for each sample b and head h,
/// att = softmax(Q·Kᵀ/√hs over the first lengths[b] keys), ctx = att·V.
/// q, k, v and ctx are (B, T, C) with head h in columns h·hs..<(h+1)·hs; att is (B, H, T, T) and is
/// kept for the backward pass (columns of padded keys are 0).
func attentionForward(
    ctx: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    lengths: UnsafePointer<Int32>, batch: Int, seq: Int, heads: Int, channels: Int
) {
    let hs = channels / heads
    let scale = 1 / Float(hs).squareRoot()
    parallelFor(batch * heads) { bh in
        let b = bh / heads, h = bh % heads
        let length = Int(lengths[b])
        let rowOffset = b * seq * channels + h * hs
        let scores = att + bh * seq * seq
        gemm(transB: true, m: seq, n: length, k: hs, alpha: scale,
             a: q + rowOffset, lda: channels, b: k + rowOffset, ldb: channels, c: scores, ldc: seq)
        softmaxRows(scores, n: seq, c: seq, valid: length, stride: seq)
        gemm(m: seq, n: hs, k: length, a: scores, lda: seq, b: v + rowOffset, ldb: channels,
             c: ctx + rowOffset, ldc: channels)
    }
}
