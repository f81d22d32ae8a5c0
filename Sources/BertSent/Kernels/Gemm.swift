import CBLAS

/// The one entry point to BLAS: C[m,n] = alpha · op(A) · op(B) + beta · C, all row-major, where op
/// transposes when asked. `lda`/`ldb`/`ldc` are row strides, so a head's slice of a [T, C] matrix is
/// used in place.
@inline(__always)
func gemm(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    scipy_cblas_sgemm(
        CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
        blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

/// Facts about the linked BLAS, for benchmarks and logs.
public enum BLASInfo {
    /// OpenBLAS's build configuration and the kernel it chose for this CPU.
    public static var description: String {
        let config = scipy_openblas_get_config().map { String(cString: $0) } ?? "unknown"
        let core = scipy_openblas_get_corename().map { String(cString: $0) } ?? "unknown"
        return "\(config) (core \(core))"
    }

    /// Sets the threads BLAS uses inside one call.
    public static func setThreads(_ count: Int) {
        scipy_openblas_set_num_threads(Int32(count))
    }
}
