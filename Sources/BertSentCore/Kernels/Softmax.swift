import CKernels

/// Numerically stable softmax of each of `n` rows of width `c` (row stride `stride`), in place. With
/// `logSumExp` (n floats) each row's log Σ exp is kept, so the backward pass can recompute the
/// probabilities from the scores instead of storing them.
func softmaxRows(
    _ x: UnsafeMutablePointer<Float>, n: Int, c: Int, stride: Int, logSumExp: UnsafeMutablePointer<Float>? = nil
) {
    bs_softmax_rows(KernelSet.elementwiseLevel, x, n, c, stride, logSumExp)
}

/// The probabilities again, in place over the scores: x = exp(x − logSumExp[row]).
func softmaxRecomputeRows(
    _ x: UnsafeMutablePointer<Float>, n: Int, c: Int, stride: Int, logSumExp: UnsafePointer<Float>
) {
    bs_softmax_recompute_rows(KernelSet.elementwiseLevel, x, n, c, stride, logSumExp)
}

/// Softmax's backward from its output P, in place over dP: dS = P ⊙ (dP − rowsum(P ⊙ dP)), for the
/// first `valid` entries of `n` rows with row stride `stride`.
func softmaxBackwardRows(_ dp: UnsafeMutablePointer<Float>, p: UnsafePointer<Float>, n: Int, valid: Int, stride: Int) {
    bs_softmax_backward_rows(KernelSet.elementwiseLevel, dp, p, n, valid, stride)
}
