import CKernels

private func panelCount(_ columns: Int) -> Int { (columns + packedPanelWidth - 1) / packedPanelWidth }

/// A linear layer's weight (outFeatures × inFeatures, as checkpoints store it) rounded once to bf16 and
/// packed in the layout of the bf16 GEMM (Sources/CKernels/bf16_gemm.c), for inference. Only created
/// after `CPUFeatures.require(.bf16)`, since packing uses the same instructions.
// Sendable by hand: packed once in init, only read afterwards.
package final class PackedBf16Weight: PackedLinearWeight, @unchecked Sendable {
    package let outFeatures: Int
    package let inFeatures: Int
    let pointer: UnsafeMutablePointer<UInt16>
    package var byteCount: Int { bs_bf16_packed_count(outFeatures, inFeatures) * MemoryLayout<UInt16>.stride }

    /// weight is (outFeatures, inFeatures) row-major.
    package init(weight: UnsafePointer<Float>, outFeatures: Int, inFeatures: Int) {
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        let count = bs_bf16_packed_count(outFeatures, inFeatures)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<UInt16>.stride, alignment: 64)
            .bindMemory(to: UInt16.self, capacity: count)
        bs_bf16_pack_b(pointer, weight, inFeatures, 1, outFeatures, inFeatures, 0, panelCount(outFeatures))
    }

    deinit { pointer.deallocate() }

    /// out = bf16(inp) · bf16(weight)ᵀ + bias with fp32 sums, the bias added in the kernel's epilogue.
    package func forward(
        out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, bias: UnsafePointer<Float>?, n: Int,
        inputStride: Int
    ) {
        bf16GemmPacked(
            m: n, n: outFeatures, k: inFeatures, a: inp, lda: inputStride, packed: pointer, bias: bias, c: out,
            ldc: outFeatures)
    }
}

/// Memory for an operand packed per product: training's bf16 products, whose operands (weights that
/// change every step, activations) are packed anew each time.
package final class Bf16PackingBuffer {
    /// bf16 elements it holds.
    let capacity: Int
    let pointer: UnsafeMutablePointer<UInt16>
    package let storage: FloatBuffer

    package init(capacity: Int) throws {
        storage = try FloatBuffer(count: (capacity + 1) / 2)
        self.capacity = capacity
        pointer = UnsafeMutableRawPointer(storage.pointer).bindMemory(to: UInt16.self, capacity: capacity)
    }

    /// Elements needed for op(B) of k × n.
    package static func count(n: Int, k: Int) -> Int { bs_bf16_packed_count(n, k) }
}

/// C (m × n) = op(A) · op(B) + bias, or C += op(A) · op(B) when `accumulate`, on the bf16 kernel: both
/// operands rounded to bf16, products summed in FP32. Arguments as `gemm`'s (row-major, strides);
/// op(B) is packed into `packing` first, both cores taking half of its panels.
func bf16Gemm(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, bias: UnsafePointer<Float>? = nil,
    accumulate: Bool = false, c: UnsafeMutablePointer<Float>, ldc: Int, packing: Bf16PackingBuffer
) {
    precondition(Bf16PackingBuffer.count(n: n, k: k) <= packing.capacity, "bf16 packing buffer too small for \(k)×\(n)")
    let panels = panelCount(n)
    let chunks = k * n >= 1 << 16 ? min(coreCount, panels) : 1
    parallelFor(chunks) { chunk in
        bs_bf16_pack_b(
            packing.pointer, b, ldb, transB ? 1 : 0, n, k, panels * chunk / chunks, panels * (chunk + 1) / chunks)
    }
    bf16GemmPacked(
        transA: transA, m: m, n: n, k: k, a: a, lda: lda, packed: packing.pointer, bias: bias,
        accumulate: accumulate, c: c, ldc: ldc)
}

/// C (m × n) (+)= op(A) · op(B) (+ bias) from op(B) already packed, split over the cores.
private func bf16GemmPacked(
    transA: Bool = false, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<UInt16>,
    bias: UnsafePointer<Float>?, accumulate: Bool = false, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    splitProduct(m: m, n: n, k: k) { rows, columns in
        // Rows of op(A) are rows of A, or columns of A when it is transposed.
        let aStart = transA ? a + rows.lowerBound : a + rows.lowerBound * lda
        bs_bf16_gemm(
            c + rows.lowerBound * ldc, ldc, aStart, lda, transA ? 1 : 0, packed, bias, rows.count, k,
            columns.lowerBound, columns.upperBound, accumulate ? 1 : 0)
    }
}
