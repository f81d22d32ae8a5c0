// What bertsent asks of the operating system on macOS; Platform+Linux.swift answers the same on Linux.
// Written for macOS 15 on Apple silicon and not built here (the project's machines are Linux): see the
// README's platform table.
#if canImport(Darwin)
    import Accelerate
    import Darwin

    /// BLAS on macOS: Accelerate's, which runs on the AMX units of Apple silicon.
    enum PlatformBLAS {
        /// C = alpha · op(A) · op(B) + beta · C, row-major, on this thread.
        @inline(__always)
        static func sgemm(
            transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
            b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
        ) {
            // Accelerate's threading model is per thread (macOS 15): the kernels split products over the
            // cores themselves, so each calling thread asks for one.
            BLAS.threadingModel = .singleThreaded
            cblas_sgemm(
                CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, Int32(m),
                Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }

        /// Accelerate chooses its own threads when allowed more than one (for this thread).
        static func setThreads(_ count: Int) { BLAS.threadingModel = count > 1 ? .multiThreaded : .singleThreaded }

        static var description: String { "Accelerate" }
    }

    package enum PlatformMemory {
        /// The process's peak resident set in bytes: getrusage's ru_maxrss, which macOS gives in bytes.
        package static func peakResidentBytes() -> Int {
            var usage = rusage()
            guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
            return Int(usage.ru_maxrss)
        }

        /// Gives whole pages back to the system: anonymous pages with MADV_FREE_REUSABLE, which macOS
        /// counts out of the resident set at once (MADV_DONTNEED there is only a hint); file pages with
        /// MADV_DONTNEED.
        static func releasePages(_ start: UnsafeMutableRawPointer, byteCount: Int, fileBacked: Bool) {
            _ = madvise(start, byteCount, fileBacked ? MADV_DONTNEED : MADV_FREE_REUSABLE)
        }
    }
#endif
