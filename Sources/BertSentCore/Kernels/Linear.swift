/// out = inp · weightᵀ + bias, as torch.nn.Linear.
/// inp is (N, IC) with row stride `inputStride` (IC unless rows are picked from a larger matrix, as the
/// pooler picks [CLS]), weight is (OC, IC) as stored in checkpoints, bias is (OC), out is (N, OC).
/// The product runs in FP32, or in reduced precision: with `packed`, the same weight converted ahead
/// (inference, bf16 or int8), or with `packing`, on the bf16 kernel with the weight packed for this call
/// (training).
package func linearForward(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, n: Int, inFeatures: Int, outFeatures: Int, inputStride: Int? = nil,
    packed: (any PackedLinearWeight)? = nil, packing: Bf16PackingBuffer? = nil
) {
    let stride = inputStride ?? inFeatures
    if let packed {
        precondition(
            packed.outFeatures == outFeatures && packed.inFeatures == inFeatures, "packed weight of another shape")
        packed.forward(out: out, inp: inp, bias: bias, n: n, inputStride: stride)
        return
    }
    if let packing {
        bf16Gemm(
            transB: true, m: n, n: outFeatures, k: inFeatures, a: inp, lda: stride, b: weight, ldb: inFeatures,
            bias: bias, c: out, ldc: outFeatures, packing: packing)
        return
    }
    if let bias { fillRows(out, rows: n, columns: outFeatures, stride: outFeatures, with: bias) }
    gemm(
        transB: true, m: n, n: outFeatures, k: inFeatures, a: inp, lda: stride,
        b: weight, ldb: inFeatures, beta: bias == nil ? 0 : 1, c: out, ldc: outFeatures)
}

/// Gradients of `linearForward`: dweight += doutᵀ · inp, dbias += Σ_rows dout, and
/// dinp = dout · weight (added to dinp when `accumulateInput`, as where one input feeds several layers).
/// dout is (N, OC); inp and dinp are (N, IC) with row stride `inputStride`; weight and dweight are (OC, IC).
/// With `packing`, both products run on the bf16 kernel (training in bf16), the sums in FP32.
package func linearBackward(
    dinp: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>?,
    dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    n: Int, inFeatures: Int, outFeatures: Int, inputStride: Int? = nil, accumulateInput: Bool = false,
    packing: Bf16PackingBuffer? = nil
) {
    let stride = inputStride ?? inFeatures
    if let dinp {
        product(
            m: n, n: inFeatures, k: outFeatures, a: dout, lda: outFeatures, b: weight, ldb: inFeatures,
            accumulate: accumulateInput, c: dinp, ldc: stride, packing: packing)
    }
    product(
        transA: true, m: outFeatures, n: inFeatures, k: n, a: dout, lda: outFeatures, b: inp, ldb: stride,
        accumulate: true, c: dweight, ldc: inFeatures, packing: packing)
    if let dbias {
        parallelChunks(outFeatures, minimumPerChunk: 64) { columns in
            for row in 0..<n {
                let d = dout + row * outFeatures
                for j in columns { dbias[j] += d[j] }
            }
        }
    }
}

/// C (+)= op(A) · op(B): `gemm` in FP32, or `bf16Gemm` when given a packing buffer.
private func product(
    transA: Bool = false, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int, packing: Bf16PackingBuffer?
) {
    if let packing {
        bf16Gemm(
            transA: transA, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, accumulate: accumulate, c: c, ldc: ldc,
            packing: packing)
    } else {
        gemm(transA: transA, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: accumulate ? 1 : 0, c: c, ldc: ldc)
    }
}

/// Each of `rows` rows of c (row stride `stride`) set to `values` (`columns` floats): the bias a product
/// then adds into with beta = 1.
func fillRows(
    _ c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int, with values: UnsafePointer<Float>
) {
    // At least 512 KB per core: a single short text's copies cost less than waking a thread.
    parallelChunks(rows, minimumPerChunk: max(1, (1 << 17) / columns)) { part in
        for row in part { (c + row * stride).update(from: values, count: columns) }
    }
}
