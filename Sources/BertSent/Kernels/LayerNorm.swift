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
