import Foundation

/// Exact GELU, x · Φ(x) = ½x(1 + erf(x/√2)), as BERT's "gelu" (not the tanh approximation).
/// inp and out are (count); they may be the same buffer.
func geluForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
    parallelChunks(count, minimumPerChunk: 4096) { range in
        for i in range {
            let x = inp[i]
            out[i] = 0.5 * x * (1 + erf(x * Float(0.5).squareRoot()))
        }
    }
}

/// out = tanh(inp) elementwise, the pooler's activation. inp and out are (count).
func tanhForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = tanh(inp[i]) }
}
