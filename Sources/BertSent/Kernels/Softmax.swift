import CKernels

/// Numerically stable softmax of each row's first `valid` entries, in place; entries from `valid` up
/// to `c` are set to 0 (masked keys get exactly zero weight, as an additive −∞ mask gives).
/// x is (N, C) with row stride `stride`.
func softmaxRows(_ x: UnsafeMutablePointer<Float>, n: Int, c: Int, valid: Int, stride: Int) {
    bs_softmax_rows(x, n, valid, c, stride)
}

/// Softmax's backward from its output P, in place over dP: dS = P ⊙ (dP − rowsum(P ⊙ dP)), for the
/// first `valid` entries of `n` rows with row stride `stride`.
func softmaxBackwardRows(_ dp: UnsafeMutablePointer<Float>, p: UnsafePointer<Float>, n: Int, valid: Int, stride: Int) {
    bs_softmax_backward_rows(dp, p, n, valid, stride)
}
