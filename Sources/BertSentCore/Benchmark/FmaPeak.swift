import CKernels
import Foundation

/// The FP32 ceiling of this machine's cores, measured with a loop of independent fused multiply-adds
/// (Sources/CKernels/fma_peak.c): what no GEMM can beat, so the benchmark can tell how far the SGEMM
/// rate and the model's steps are from the hardware, not only from the BLAS.
package struct FmaPeak: Sendable, Codable {
    /// GFLOP/s of one thread, by instruction set ("avx512", "avx2", "neon"); absent where the CPU lacks it.
    package var oneThreadGflops: [String: Double]
    /// GFLOP/s of `threads` threads running the fastest instruction set at once (their sum).
    package var allThreadsGflops: Double
    package var threads: Int

    /// Measures each instruction set on one thread for `seconds`, then the fastest on every core.
    package static func measure(seconds: Double = 0.2) -> FmaPeak {
        var single: [String: Double] = [:]
        let widths = [("avx512", 512), ("avx2", 256), ("neon", 128)]
        for (name, bits) in widths {
            let rate = bs_fma_peak_gflops(Int32(bits), seconds)
            if rate > 0 { single[name] = rate }
        }
        let fastest = widths.max { (single[$0.0] ?? 0) < (single[$1.0] ?? 0) }!.1
        let rates = UnsafeMutableBufferPointer<Double>.allocate(capacity: coreCount)
        defer { rates.deallocate() }
        let base = rates.baseAddress!
        parallelFor(coreCount) { thread in base[thread] = bs_fma_peak_gflops(Int32(fastest), seconds) }
        return FmaPeak(oneThreadGflops: single, allThreadsGflops: rates.reduce(0, +), threads: coreCount)
    }
}
