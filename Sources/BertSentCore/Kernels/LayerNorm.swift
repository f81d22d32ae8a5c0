import CKernels

/// out = (inp − mean) · rstd · weight + bias per row, caching mean and rstd for the backward pass.
/// inp and out are (N, C); weight and bias are (C); mean and rstd are (N). Variance is biased, as torch.
/// With a `residual` (rows `residualStride` apart: C, or T·C for the [CLS] rows of a (B, T, C) input)
/// the residual connection comes first, in the same pass: inp += residual, then the norm of that.
package func layerNormForward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
    inp: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>? = nil, residualStride: Int = 0,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, n: Int, c: Int, eps: Float
) {
    parallelChunks(n) { rows in
        let first = rows.lowerBound
        bs_layernorm_forward(
            KernelSet.elementwiseLevel,
            out + first * c, mean + first, rstd + first, inp + first * c,
            residual.map { $0 + first * residualStride }, residualStride, weight, bias, rows.count, c, eps)
    }
}

/// Gradients of `layerNormForward` from the cached mean and rstd:
/// dinp = rstd · (dnorm − mean(dnorm) − x̂ · mean(dnorm · x̂)) with dnorm = dout · weight (overwrites dinp);
/// dweight += Σ_rows dout · x̂, dbias += Σ_rows dout.
package func layerNormBackward(
    dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
    dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, n: Int, c: Int
) {
    parallelChunks(n) { rows in
        let first = rows.lowerBound
        bs_layernorm_backward_input(
            KernelSet.elementwiseLevel,
            dinp + first * c, dout + first * c, inp + first * c, weight, mean + first, rstd + first, rows.count, c)
    }
    // Parameter gradients sum over rows: split by channel so threads write disjoint entries.
    parallelChunks(c, minimumPerChunk: 64) { channels in
        for row in 0..<n {
            let x = inp + row * c, dy = dout + row * c
            let m = mean[row], s = rstd[row]
            for i in channels {
                dweight[i] += dy[i] * (x[i] - m) * s
                dbias[i] += dy[i]
            }
        }
    }
}
