import CKernels
import Foundation

/// Exact GELU, x · Φ(x) = ½x(1 + erf(x/√2)), as BERT's "gelu" (not the tanh approximation); erf to
/// 1.5e-7 (Sources/CKernels). inp and out are (count); they may be the same buffer.
package func geluForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
    parallelChunks(count, minimumPerChunk: 4096) { range in
        bs_gelu_forward(KernelSet.elementwiseLevel, out + range.lowerBound, inp + range.lowerBound, range.count)
    }
}

/// d/dx GELU = Φ(x) + x·φ(x): dinp = dout · (Φ(x) + x φ(x)). dinp may be dout's buffer.
package func geluBackward(
    dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, count: Int
) {
    parallelChunks(count, minimumPerChunk: 4096) { range in
        bs_gelu_backward(
            KernelSet.elementwiseLevel, dinp + range.lowerBound, dout + range.lowerBound, inp + range.lowerBound,
            range.count)
    }
}

/// out = tanh(inp) elementwise, the pooler's activation. inp and out are (count).
package func tanhForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = tanh(inp[i]) }
}

/// From tanh's output y: dinp = dout · (1 − y²). dinp may be dout's buffer.
package func tanhBackward(
    dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, out: UnsafePointer<Float>, count: Int
) {
    for i in 0..<count { dinp[i] = dout[i] * (1 - out[i] * out[i]) }
}

/// out = max(inp, 0) elementwise, DistilBERT's pre_classifier activation. inp and out are (count); they
/// may be the same buffer.
package func reluForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = max(inp[i], 0) }
}

/// From ReLU's output y: dinp = dout where y > 0, else 0 (torch's choice at 0). dinp may be dout's buffer.
package func reluBackward(
    dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, out: UnsafePointer<Float>, count: Int
) {
    for i in 0..<count { dinp[i] = out[i] > 0 ? dout[i] : 0 }
}
