import CBLAS
import Foundation

/// The SGEMM rate the linked BLAS reaches on this machine, measured the way the model calls it, and the
/// cores' FMA ceiling, so the benchmark can state achieved GFLOP/s as a share of both.
public enum GemmBenchmark {
    public struct Result: Sendable, Codable {
        public var m: Int
        public var n: Int
        public var k: Int
        /// Best GFLOP/s of BLAS itself with 1 thread.
        public var blasOneThreadGflops: Double
        /// Best GFLOP/s of BLAS itself with `threads` threads (its own threading).
        public var blasThreadsGflops: Double
        public var threads: Int
        /// Best GFLOP/s of bertsent's `gemm` (single-threaded BLAS, rows split over the cores).
        public var bertsentGemmGflops: Double
        public var blas: String
        /// The cores' FMA ceiling, measured in the same process.
        public var fmaPeak: FmaPeak
    }

    /// C[m,n] = A[m,k] · B[k,n], best of `repetitions` after one warmup, for each way of calling it.
    public static func run(m: Int = 1024, n: Int = 3072, k: Int = 768, repetitions: Int = 10) -> Result {
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
            scipy_cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(m), blasint(n), blasint(k),
                              1, a, blasint(k), b, blasint(n), 0, c, blasint(n))
        }
        // The model's path first: `gemm` sets BLAS to one thread once, on first use.
        let wrapped = best { a, b, c in gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c, ldc: n) }
        scipy_openblas_set_num_threads(1)
        let one = best(blas)
        let threads = coreCount
        scipy_openblas_set_num_threads(Int32(threads))
        let many = best(blas)
        scipy_openblas_set_num_threads(1)
        return Result(m: m, n: n, k: k, blasOneThreadGflops: one, blasThreadsGflops: many, threads: threads,
                      bertsentGemmGflops: wrapped, blas: BLASInfo.description, fmaPeak: FmaPeak.measure())
    }
}
