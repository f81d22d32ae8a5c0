import CKernels

/// Dropout whose mask is a pure function of (seed, stream, index): the backward pass regenerates the
/// forward's mask instead of storing it, and the result does not depend on how work is split across
/// threads. `stream` tells apart the sites of one step (each layer's attention, outputs, …). The
/// mask itself is computed in Sources/CKernels (`bs_dropout`).
package struct DropoutMask {
    let seed: UInt64
    let stream: UInt64
    /// An element is dropped when its 24-bit hash is below this: p · 2²⁴.
    let threshold: UInt32
    /// 1 / (1 − p): kept values are scaled so the expectation is unchanged, as torch does.
    let scale: Float

    package init(probability p: Double, seed: UInt64, stream: UInt64) {
        self.seed = seed
        self.stream = stream
        threshold = UInt32(min(p, 1) * Double(1 << 24))
        scale = p < 1 ? Float(1 / (1 - p)) : 0
    }

    /// out[i] = x[i] · mask(offset + i) for i in 0..<count; out may be x.
    func apply(_ out: UnsafeMutablePointer<Float>, from x: UnsafePointer<Float>, count: Int, offset: Int) {
        bs_dropout(KernelSet.elementwiseLevel, out, x, count, seed, stream, offset, threshold, scale)
    }
}

/// x ← x · mask, in place; x is (count), element i using mask index `offset + i`.
package func dropoutForward(_ x: UnsafeMutablePointer<Float>, count: Int, mask: DropoutMask, offset: Int = 0) {
    parallelChunks(count, minimumPerChunk: 16_384) { range in
        mask.apply(
            x + range.lowerBound, from: x + range.lowerBound, count: range.count, offset: offset + range.lowerBound)
    }
}

/// The gradient through dropout is the same mask applied to the upstream gradient, so backward is the
/// forward function applied to dx.
package func dropoutBackward(_ dx: UnsafeMutablePointer<Float>, count: Int, mask: DropoutMask, offset: Int = 0) {
    dropoutForward(dx, count: count, mask: mask, offset: offset)
}
