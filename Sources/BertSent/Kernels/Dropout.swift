/// Dropout whose mask is a pure function of (seed, stream, index): the backward pass regenerates the
/// forward's mask instead of storing it, and the result does not depend on how work is split across
/// threads. `stream` tells apart the sites of one step (each layer's attention, outputs, …).
struct DropoutMask {
    let seed: UInt64
    let stream: UInt64
    let threshold: UInt32
    /// 1 / (1 − p): kept values are scaled so the expectation is unchanged, as torch does.
    let scale: Float

    init(probability p: Double, seed: UInt64, stream: UInt64) {
        self.seed = seed
        self.stream = stream
        threshold = UInt32(min(p, 1) * Double(1 << 24))
        scale = p < 1 ? Float(1 / (1 - p)) : 0
    }

    /// The factor element `index` is multiplied by: 0 if dropped, else 1/(1−p).
    @inline(__always)
    func factor(_ index: Int) -> Float {
        // murmur3's 64-bit finaliser over a unique counter per (seed, stream, index).
        var z = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(truncatingIfNeeded: index) &* 0xBF58_476D_1CE4_E5B9)
        z = (z ^ (z >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        z = (z ^ (z >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        z ^= z >> 33
        return UInt32(truncatingIfNeeded: z >> 40) < threshold ? 0 : scale
    }
}

/// x ← x · mask, in place; x is (count), element i using mask index `offset + i`.
func dropoutForward(_ x: UnsafeMutablePointer<Float>, count: Int, mask: DropoutMask, offset: Int = 0) {
    parallelChunks(count, minimumPerChunk: 16_384) { range in
        for i in range { x[i] *= mask.factor(offset + i) }
    }
}

/// The gradient through dropout is the same mask applied to the upstream gradient, so backward is the
/// forward function applied to dx.
func dropoutBackward(_ dx: UnsafeMutablePointer<Float>, count: Int, mask: DropoutMask, offset: Int = 0) {
    dropoutForward(dx, count: count, mask: mask, offset: offset)
}
