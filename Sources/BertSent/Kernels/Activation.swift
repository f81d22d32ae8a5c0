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

/// d/dx GELU = Φ(x) + x·φ(x): dinp = dout · (Φ(x) + x φ(x)). dinp may be dout's buffer.
func geluBackward(dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
    let invSqrt2 = Float(0.5).squareRoot()
    let invSqrt2Pi = 1 / Float(2 * Double.pi).squareRoot()
    parallelChunks(count, minimumPerChunk: 4096) { range in
        for i in range {
            let x = inp[i]
            let cdf = 0.5 * (1 + erf(x * invSqrt2))
            let pdf = invSqrt2Pi * exp(-0.5 * x * x)
            dinp[i] = dout[i] * (cdf + x * pdf)
        }
    }
}

/// out = tanh(inp) elementwise, the pooler's activation. inp and out are (count).
func tanhForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = tanh(inp[i]) }
}

/// From tanh's output y: dinp = dout · (1 − y²). dinp may be dout's buffer.
func tanhBackward(dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, out: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { dinp[i] = dout[i] * (1 - out[i] * out[i]) }
}
