// What bertsent asks of the operating system on Linux; Platform+Darwin.swift answers the same on macOS.
// The rest of the package calls these and imports neither Glibc nor Darwin.
#if os(Linux)
    import CBLAS
    import Glibc

    /// BLAS on Linux: OpenBLAS from PyPI's scipy-openblas32 wheel (every symbol prefixed `scipy_`), which
    /// scripts/setup.sh installs for x86-64 and aarch64.
    enum PlatformBLAS {
        /// C = alpha · op(A) · op(B) + beta · C, row-major, on this thread.
        @inline(__always)
        static func sgemm(
            transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
            b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
        ) {
            scipy_cblas_sgemm(
                CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, blasint(m),
                blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
        }

        /// The threads OpenBLAS itself runs a product on (process-wide).
        static func setThreads(_ count: Int) { scipy_openblas_set_num_threads(Int32(count)) }

        /// OpenBLAS's build configuration and the kernel it chose for this CPU.
        static var description: String {
            let config = scipy_openblas_get_config().map { String(cString: $0) } ?? "unknown"
            let core = scipy_openblas_get_corename().map { String(cString: $0) } ?? "unknown"
            return "\(config) (core \(core))"
        }
    }

    package enum PlatformMemory {
        /// The process's peak resident set in bytes: VmHWM in /proc/self/status (0 if unreadable).
        package static func peakResidentBytes() -> Int {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
            else { return 0 }
            return kilobytes * 1024
        }

        /// Gives whole pages back to the system at once: anonymous pages then read as zero, pages of a
        /// read-only file mapping are mapped again from the page cache when read.
        static func releasePages(_ start: UnsafeMutableRawPointer, byteCount: Int, fileBacked: Bool) {
            _ = madvise(start, byteCount, MADV_DONTNEED)
        }
    }
#endif
