/// out = inp · weightᵀ + bias, as torch.nn.Linear.
/// inp is (N, IC) with row stride `inputStride` (IC unless rows are picked from a larger matrix, as the
/// pooler picks [CLS]), weight is (OC, IC) as stored in checkpoints, bias is (OC), out is (N, OC).
func linearForward(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, n: Int, inFeatures: Int, outFeatures: Int, inputStride: Int? = nil
) {
    if let bias {
        for row in 0..<n { (out + row * outFeatures).update(from: bias, count: outFeatures) }
    }
    gemm(transB: true, m: n, n: outFeatures, k: inFeatures, a: inp, lda: inputStride ?? inFeatures,
         b: weight, ldb: inFeatures, beta: bias == nil ? 0 : 1, c: out, ldc: outFeatures)
}
