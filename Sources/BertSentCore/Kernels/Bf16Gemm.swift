import CKernels

private func panelCount(_ columns: Int) -> Int { (columns + packedPanelWidth - 1) / packedPanelWidth }

/// A linear layer's weight (outFeatures × inFeatures, as checkpoints store it) rounded once to bf16 for
/// inference: packed in the layout of the native bf16 GEMM (Sources/CKernels/bf16_gemm.h), or kept as
/// FP32 values for the widened kernel's BLAS products.
// Sendable by hand: converted once in init, only read afterwards.
package final class PackedBf16Weight: PackedLinearWeight, @unchecked Sendable {
    package let outFeatures: Int
    package let inFeatures: Int
    let kernel: Bf16Kernel
    /// native kernels: bs_bf16_packed_count(outFeatures, inFeatures) bf16 values; widened: outFeatures ×
    /// inFeatures floats.
    let storage: UnsafeMutableRawPointer
    package let byteCount: Int

    /// weight is (outFeatures, inFeatures) row-major.
    package init(weight: UnsafePointer<Float>, outFeatures: Int, inFeatures: Int, kernel: Bf16Kernel) {
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        self.kernel = kernel
        switch kernel {
        case .avx512Bf16, .neonBf16:
            byteCount = bs_bf16_packed_count(outFeatures, inFeatures) * MemoryLayout<UInt16>.stride
            storage = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
            bs_bf16_pack_b(
                storage.bindMemory(to: UInt16.self, capacity: byteCount / 2), weight, inFeatures, 1, outFeatures,
                inFeatures, 0, panelCount(outFeatures))
        case .widened:
            byteCount = outFeatures * inFeatures * MemoryLayout<Float>.stride
            storage = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
            bs_bf16_round(
                KernelSet.elementwiseLevel, storage.bindMemory(to: Float.self, capacity: byteCount / 4), weight,
                outFeatures, inFeatures, inFeatures)
        }
    }

    deinit { storage.deallocate() }

    /// out = bf16(inp) · bf16(weight)ᵀ + bias with fp32 sums.
    package func forward(
        out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, bias: UnsafePointer<Float>?, n: Int,
        inputStride: Int
    ) {
        switch kernel {
        case .avx512Bf16, .neonBf16:
            bf16GemmPacked(
                m: n, n: outFeatures, k: inFeatures, a: inp, lda: inputStride,
                packed: storage.assumingMemoryBound(to: UInt16.self), bias: bias, c: out, ldc: outFeatures)
        case .widened:
            widenedGemm(
                transB: true, m: n, n: outFeatures, k: inFeatures, a: inp, lda: inputStride,
                rounded: storage.assumingMemoryBound(to: Float.self), ldb: inFeatures, bias: bias, c: out,
                ldc: outFeatures)
        }
    }
}

/// Memory for an operand converted per product: training's bf16 products, whose operands (weights that
/// change every step, activations) are converted anew each time: packed bf16 for the AVX-512 BF16
/// kernel, rounded FP32 values for the widened one.
package final class Bf16PackingBuffer {
    let kernel: Bf16Kernel
    /// Elements (bf16 values or floats, as the kernel converts to) it holds.
    let capacity: Int
    package let storage: FloatBuffer

    package init(capacity: Int, kernel: Bf16Kernel) throws {
        storage = try FloatBuffer(count: kernel.isNative ? (capacity + 1) / 2 : capacity)
        self.capacity = capacity
        self.kernel = kernel
    }

    /// Elements needed for op(B) of k × n.
    package static func count(n: Int, k: Int, kernel: Bf16Kernel) -> Int {
        kernel.isNative ? bs_bf16_packed_count(n, k) : n * k
    }
}

/// C (m × n) = op(A) · op(B) + bias, or C += op(A) · op(B) when `accumulate`, in bf16: both operands
/// rounded to bf16, products summed in FP32, on `packing`'s kernel. Arguments as `gemm`'s (row-major,
/// strides); op(B) is converted into `packing` first, both cores taking half of it.
package func bf16Gemm(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, bias: UnsafePointer<Float>? = nil,
    accumulate: Bool = false, c: UnsafeMutablePointer<Float>, ldc: Int, packing: Bf16PackingBuffer
) {
    precondition(
        Bf16PackingBuffer.count(n: n, k: k, kernel: packing.kernel) <= packing.capacity,
        "bf16 packing buffer too small for \(k)×\(n)")
    switch packing.kernel {
    case .avx512Bf16, .neonBf16:
        let packed = UnsafeMutableRawPointer(packing.storage.pointer).bindMemory(
            to: UInt16.self, capacity: packing.capacity)
        let panels = panelCount(n)
        let chunks = k * n >= 1 << 16 ? min(coreCount, panels) : 1
        parallelFor(chunks) { chunk in
            bs_bf16_pack_b(
                packed, b, ldb, transB ? 1 : 0, n, k, panels * chunk / chunks, panels * (chunk + 1) / chunks)
        }
        bf16GemmPacked(
            transA: transA, m: m, n: n, k: k, a: a, lda: lda, packed: packed, bias: bias, accumulate: accumulate,
            c: c, ldc: ldc)
    case .widened:
        // B as stored (n × k when transposed, else k × n), rounded whole, both cores taking half its rows.
        let (rows, columns) = transB ? (n, k) : (k, n)
        let rounded = packing.storage.pointer
        parallelChunks(rows, minimumPerChunk: max(1, (1 << 16) / columns)) { part in
            bs_bf16_round(
                KernelSet.elementwiseLevel, rounded + part.lowerBound * columns, b + part.lowerBound * ldb,
                part.count, columns, ldb)
        }
        widenedGemm(
            transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, rounded: rounded, ldb: columns,
            bias: bias, accumulate: accumulate, c: c, ldc: ldc)
    }
}

/// C (m × n) (+)= bf16(op(A)) · op(B) (+ bias) in FP32 on BLAS, op(B) already rounded (`rounded`, row
/// stride ldb): each part of the product rounds the rows of op(A) it reads into its thread's operand
/// scratch first.
private func widenedGemm(
    transA: Bool = false, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
    rounded: UnsafePointer<Float>, ldb: Int, bias: UnsafePointer<Float>?, accumulate: Bool = false,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    if let bias, !accumulate { fillRows(c, rows: m, columns: n, stride: ldc, with: bias) }
    let level = KernelSet.elementwiseLevel
    splitProduct(m: m, n: n, k: k) { rows, columns in
        // op(A)'s rows are A's rows, or, when transposed, A's columns: a k × rows block.
        let part =
            transA
            ? bs_bf16_round_operand(level, a + rows.lowerBound, k, rows.count, lda)!
            : bs_bf16_round_operand(level, a + rows.lowerBound * lda, rows.count, k, lda)!
        sgemmPart(
            transA: transA, transB: transB, rows: rows, columns: columns, k: k, a: part,
            lda: transA ? rows.count : k, b: rounded, ldb: ldb, beta: bias != nil || accumulate ? 1 : 0, c: c,
            ldc: ldc)
    }
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
