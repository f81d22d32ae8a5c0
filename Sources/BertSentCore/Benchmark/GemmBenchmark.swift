import CKernels
import Foundation

/// The SGEMM rate the linked BLAS reaches on this machine, measured the way the model calls it, and the
/// cores' FMA ceiling, so the benchmark can state achieved GFLOP/s as a share of both.
package enum GemmBenchmark {
    package struct Result: Sendable, Codable {
        package var m: Int
        package var n: Int
        package var k: Int
        /// Best GFLOP/s of BLAS itself with 1 thread.
        package var blasOneThreadGflops: Double
        /// Best GFLOP/s of BLAS itself with `threads` threads (its own threading).
        package var blasThreadsGflops: Double
        package var threads: Int
        /// Best GFLOP/s of bertsent's `gemm` (single-threaded BLAS, rows split over the cores).
        package var bertsentGemmGflops: Double
        package var blas: String
        /// The cores' FMA ceiling, measured in the same process.
        package var fmaPeak: FmaPeak
        /// The kernels the process runs (BERTSENT_ISA caps them).
        package var kernels: KernelSet
        /// The bf16 products' rates on the model's linear-layer shapes, on `kernels.bf16`.
        package var bf16: [KernelRate]
        /// The int8 GEMM's rates (GOP/s) on the inference shapes, on `kernels.int8`.
        package var int8: [KernelRate]
    }

    /// One product on a reduced-precision kernel, out[m,n] (+)= op(A)[m,k] · op(B)[k,n].
    package struct KernelRate: Sendable, Codable {
        /// The kernel that ran.
        package var kernel: String
        /// Which product of a linear layer this is.
        package var product: Bf16Product
        package var m: Int
        package var n: Int
        package var k: Int
        /// Best GFLOP/s on 1 thread (nil for the widened bf16 kernel, whose rate is BLAS's).
        package var oneThreadGflops: Double?
        /// Best GFLOP/s split over `threads` cores as the model splits it.
        package var threadsGflops: Double
        package var threads: Int
    }

    /// The products of a linear layer, as the model runs them in bf16.
    package enum Bf16Product: String, Sendable, Codable, CaseIterable {
        /// out = inp · Wᵀ + bias with W packed once (inference).
        case forward = "inp·Wᵀ+bias"
        /// dinp = dout · W, W packed per call (training).
        case inputGradient = "dout·W"
        /// dweight += doutᵀ · inp, inp packed per call (training).
        case weightGradient = "doutᵀ·inp"
    }

    /// C[m,n] = A[m,k] · B[k,n], best of `repetitions` after one warmup, for each way of calling it.
    package static func run(m: Int = 1024, n: Int = 3072, k: Int = 768, repetitions: Int = 10) throws -> Result {
        var random = SeededGenerator(seed: 7)
        let a = (0..<(m * k)).map { _ in Float(random.next() % 1000) / 1000 - 0.5 }
        let b = (0..<(k * n)).map { _ in Float(random.next() % 1000) / 1000 - 0.5 }
        var c = [Float](repeating: 0, count: m * n)
        let flops = 2.0 * Double(m) * Double(n) * Double(k)

        func best(_ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Double {
            var fastest = Double.infinity
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        for repetition in 0...repetitions {
                            let start = DispatchTime.now().uptimeNanoseconds
                            body(a.baseAddress!, b.baseAddress!, c.baseAddress!)
                            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                            if repetition > 0 { fastest = min(fastest, seconds) }
                        }
                    }
                }
            }
            return flops / fastest / 1e9
        }
        func blas(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) {
            PlatformBLAS.sgemm(
                transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n, beta: 0, c: c,
                ldc: n)
        }
        // The model's path first: `gemm` sets BLAS to one thread once, on first use.
        let wrapped = best { a, b, c in gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c, ldc: n) }
        // The bf16 kernel before BLAS runs its own threads: they spin on a core for a while after
        // their last use, which halved the 2-thread rates measured after them.
        let kernels = KernelSet.active
        // b32×s128's FFN intermediate and output, and its Q/K/V and attention output; then b8×s128
        // training's gradient products of the FFN's two layers.
        let bf16 = try [
            (Bf16Product.forward, 4096, 1536, 384), (.forward, 4096, 384, 1536), (.forward, 4096, 384, 384),
            (.inputGradient, 1024, 384, 1536), (.inputGradient, 1024, 1536, 384),
            (.weightGradient, 1536, 384, 1024), (.weightGradient, 384, 1536, 1024),
        ]
        .map { try bf16Rate($0.0, m: $0.1, n: $0.2, k: $0.3, kernel: kernels.bf16, repetitions: repetitions) }
        let int8 = [(4096, 1536, 384), (4096, 384, 1536), (4096, 384, 384)].map {
            int8Rate(m: $0.0, n: $0.1, k: $0.2, kernel: kernels.int8, repetitions: repetitions)
        }
        PlatformBLAS.setThreads(1)
        let one = best(blas)
        let threads = coreCount
        PlatformBLAS.setThreads(threads)
        let many = best(blas)
        PlatformBLAS.setThreads(1)
        return Result(
            m: m, n: n, k: k, blasOneThreadGflops: one, blasThreadsGflops: many, threads: threads,
            bertsentGemmGflops: wrapped, blas: BLASInfo.description, fmaPeak: FmaPeak.measure(), kernels: kernels,
            bf16: bf16, int8: int8)
    }

    /// The bf16 kernel's best rate on one thread (the native kernel) and on every core, after one warmup
    /// each. Training's products include converting their B operand, as every call in a training step does.
    static func bf16Rate(
        _ product: Bf16Product, m: Int, n: Int, k: Int, kernel: Bf16Kernel, repetitions: Int
    ) throws -> KernelRate {
        var random = SeededGenerator(seed: 7)
        // A as stored: m × k, or k × m for doutᵀ; B: the n × k weight for the forward product, else k × n.
        let a = (0..<(m * k)).map { _ in random.nextUniform() - 0.5 }
        let b = (0..<(n * k)).map { _ in random.nextUniform() - 0.5 }
        let bias = [Float](repeating: 0.1, count: n)
        var out = [Float](repeating: 0, count: m * n)
        let transA = product == .weightGradient, transB = product == .forward
        let lda = transA ? m : k, ldb = transB ? k : n
        let packed = PackedBf16Weight(weight: b, outFeatures: n, inFeatures: k, kernel: kernel)
        let packing = try Bf16PackingBuffer(
            capacity: Bf16PackingBuffer.count(n: n, k: k, kernel: kernel), kernel: kernel)
        func best(_ body: (UnsafeMutablePointer<Float>) -> Void) -> Double {
            bestRate(m: m, n: n, k: k, repetitions: repetitions, out: &out, body)
        }
        let native = kernel.isNative
        let one: Double?, all: Double
        let packedPointer = packed.storage.assumingMemoryBound(to: UInt16.self)
        let packingPointer = UnsafeMutableRawPointer(packing.storage.pointer).assumingMemoryBound(to: UInt16.self)
        if product == .forward {
            one = native ? best { out in bs_bf16_gemm(out, n, a, k, 0, packedPointer, bias, m, k, 0, n, 0) } : nil
            all = best { out in packed.forward(out: out, inp: a, bias: bias, n: m, inputStride: k) }
        } else {
            one =
                native
                ? best { out in
                    bs_bf16_pack_b(packingPointer, b, ldb, 0, n, k, 0, (n + 31) / 32)
                    bs_bf16_gemm(out, n, a, lda, transA ? 1 : 0, packingPointer, nil, m, k, 0, n, 1)
                } : nil
            all = best { out in
                bf16Gemm(
                    transA: transA, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, accumulate: true, c: out, ldc: n,
                    packing: packing)
            }
        }
        return KernelRate(
            kernel: kernel.rawValue, product: product, m: m, n: n, k: k, oneThreadGflops: one, threadsGflops: all,
            threads: coreCount)
    }

    /// The int8 kernel's best rate (GOP/s) on inp · Wᵀ + bias, inputs quantised in the timed call as
    /// in inference, on one thread and on every core.
    static func int8Rate(m: Int, n: Int, k: Int, kernel: Int8Kernel, repetitions: Int) -> KernelRate {
        var random = SeededGenerator(seed: 7)
        let a = (0..<(m * k)).map { _ in random.nextUniform() - 0.5 }
        let w = (0..<(n * k)).map { _ in random.nextUniform() - 0.5 }
        let bias = [Float](repeating: 0.1, count: n)
        var out = [Float](repeating: 0, count: m * n)
        let packed = PackedInt8Weight(weight: w, outFeatures: n, inFeatures: k, kernel: kernel)
        let one = bestRate(m: m, n: n, k: k, repetitions: repetitions, out: &out) { out in
            packed.scales.withUnsafeBufferPointer { scales in
                packed.offsets.withUnsafeBufferPointer { offsets in
                    bs_int8_gemm(
                        kernel.cKernel, out, n, a, k, packed.packed, scales.baseAddress!, offsets.baseAddress!, bias, m,
                        k, 0, n)
                }
            }
        }
        let all = bestRate(m: m, n: n, k: k, repetitions: repetitions, out: &out) { out in
            packed.forward(out: out, inp: a, bias: bias, n: m, inputStride: k)
        }
        return KernelRate(
            kernel: kernel.rawValue, product: .forward, m: m, n: n, k: k, oneThreadGflops: one, threadsGflops: all,
            threads: coreCount)
    }

    /// Best GFLOP/s (2·m·n·k per call) of `body` writing `out`, over `repetitions` after one warmup.
    private static func bestRate(
        m: Int, n: Int, k: Int, repetitions: Int, out: inout [Float],
        _ body: (UnsafeMutablePointer<Float>) -> Void
    ) -> Double {
        var fastest = Double.infinity
        out.withUnsafeMutableBufferPointer { out in
            for repetition in 0...repetitions {
                let start = DispatchTime.now().uptimeNanoseconds
                body(out.baseAddress!)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if repetition > 0 { fastest = min(fastest, seconds) }
            }
        }
        return 2.0 * Double(m) * Double(n) * Double(k) / fastest / 1e9
    }
}
