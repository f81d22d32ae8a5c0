/// out = (inp − mean) · rstd · weight + bias per row, caching mean and rstd for the backward pass.
/// inp and out are (N, C); weight and bias are (C); mean and rstd are (N). Variance is biased, as torch.
func layerNormForward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
    inp: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, n: Int, c: Int, eps: Float
) {
    parallelChunks(n) { rows in
        for row in rows {
            let x = inp + row * c
            var sum: Float = 0
            for i in 0..<c { sum += x[i] }
            let m = sum / Float(c)
            var squares: Float = 0
            for i in 0..<c {
                let d = x[i] - m
                squares += d * d
            }
            let s = 1 / (squares / Float(c) + eps).squareRoot()
            let y = out + row * c
            for i in 0..<c { y[i] = (x[i] - m) * s * weight[i] + bias[i] }
            mean[row] = m
            rstd[row] = s
        }
    }
}

/// Gradients of `layerNormForward` from the cached mean and rstd:
/// dinp = rstd · (dnorm − mean(dnorm) − x̂ · mean(dnorm · x̂)) with dnorm = dout · weight (overwrites dinp);
/// dweight += Σ_rows dout · x̂, dbias += Σ_rows dout.
func layerNormBackward(
    dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
    dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, n: Int, c: Int
) {
    parallelChunks(n) { rows in
        for row in rows {
            let x = inp + row * c, dy = dout + row * c, dx = dinp + row * c
            let m = mean[row], s = rstd[row]
            var sumD: Float = 0, sumDX: Float = 0
            for i in 0..<c {
                let dnorm = dy[i] * weight[i]
                sumD += dnorm
                sumDX += dnorm * (x[i] - m) * s
            }
            let meanD = sumD / Float(c), meanDX = sumDX / Float(c)
            for i in 0..<c {
                let xhat = (x[i] - m) * s
                dx[i] = s * (dy[i] * weight[i] - meanD - xhat * meanDX)
            }
        }
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
