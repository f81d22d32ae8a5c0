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

/// Dropout for a batch with one mask stream per sample: sample b's mask is a function of its own seed, so it
/// does not depend on which texts share its batch, how far the batch is padded, or which process holds it.
package struct SampleDropout {
    let probability: Double
    let stream: UInt64
    /// One seed per sample of the batch, in batch order.
    let seeds: [UInt64]

    package init(probability: Double, stream: UInt64, seeds: [UInt64]) {
        self.probability = probability
        self.stream = stream
        self.seeds = seeds
    }

    /// Sample `b`'s mask.
    func mask(sample b: Int) -> DropoutMask { DropoutMask(probability: probability, seed: seeds[b], stream: stream) }
}

/// x ← x · mask, in place; x is (count) floats of `masks.seeds.count` samples, count / samples each,
/// element i of a sample using mask index i of that sample's mask.
package func dropoutForward(_ x: UnsafeMutablePointer<Float>, count: Int, masks: SampleDropout) {
    let perSample = count / max(1, masks.seeds.count)
    guard perSample > 0 else { return }
    parallelChunks(count, minimumPerChunk: 16_384) { range in
        var i = range.lowerBound
        while i < range.upperBound {
            let b = i / perSample, end = min(range.upperBound, (b + 1) * perSample)
            masks.mask(sample: b).apply(x + i, from: x + i, count: end - i, offset: i - b * perSample)
            i = end
        }
    }
}

/// The gradient through dropout is the same mask applied to the upstream gradient, so backward is the
/// forward function applied to dx.
package func dropoutBackward(_ dx: UnsafeMutablePointer<Float>, count: Int, masks: SampleDropout) {
    dropoutForward(dx, count: count, masks: masks)
}
