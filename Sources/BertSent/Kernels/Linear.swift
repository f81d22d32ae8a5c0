/// out = inp · weightᵀ + bias, as torch.nn.Linear.
/// inp is (N, IC) with row stride `inputStride` (IC unless rows are picked from a larger matrix, as the
/// pooler picks [CLS]), weight is (OC, IC) as stored in checkpoints, bias is (OC), out is (N, OC).
/// With `bf16`, the same weight rounded to bf16 and packed, the product runs on the bf16 kernel.
func linearForward(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, n: Int, inFeatures: Int, outFeatures: Int, inputStride: Int? = nil,
    bf16: PackedBf16Weight? = nil
) {
    if let bf16 {
        precondition(bf16.outFeatures == outFeatures && bf16.inFeatures == inFeatures, "packed weight of another shape")
        bf16LinearForward(out: out, inp: inp, weight: bf16, bias: bias, n: n, inputStride: inputStride ?? inFeatures)
        return
    }
    if let bias {
        // At least 512 KB per core: a single short text's copies cost less than waking a thread.
        parallelChunks(n, minimumPerChunk: max(1, (1 << 17) / outFeatures)) { rows in
            for row in rows { (out + row * outFeatures).update(from: bias, count: outFeatures) }
        }
    }
    gemm(transB: true, m: n, n: outFeatures, k: inFeatures, a: inp, lda: inputStride ?? inFeatures,
         b: weight, ldb: inFeatures, beta: bias == nil ? 0 : 1, c: out, ldc: outFeatures)
}

/// Gradients of `linearForward`: dweight += doutᵀ · inp, dbias += Σ_rows dout, and
/// dinp = dout · weight (added to dinp when `accumulateInput`, as where one input feeds several layers).
/// dout is (N, OC); inp and dinp are (N, IC) with row stride `inputStride`; weight and dweight are (OC, IC).
func linearBackward(
    dinp: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>?,
    dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    n: Int, inFeatures: Int, outFeatures: Int, inputStride: Int? = nil, accumulateInput: Bool = false
) {
    let stride = inputStride ?? inFeatures
    if let dinp {
        gemm(m: n, n: inFeatures, k: outFeatures, a: dout, lda: outFeatures, b: weight, ldb: inFeatures,
             beta: accumulateInput ? 1 : 0, c: dinp, ldc: stride)
    }
    gemm(transA: true, m: outFeatures, n: inFeatures, k: n, a: dout, lda: outFeatures, b: inp, ldb: stride,
         beta: 1, c: dweight, ldc: inFeatures)
    if let dbias {
        parallelChunks(outFeatures, minimumPerChunk: 64) { columns in
            for row in 0..<n {
                let d = dout + row * outFeatures
                for j in columns { dbias[j] += d[j] }
            }
        }
    }
}
