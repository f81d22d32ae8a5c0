/// BLAS runs single-threaded: OpenBLAS's own threads spin while waiting and, next to the kernels'
/// threads on two cores, made step times erratic (1.3 s to 8.8 s for the same step). The kernels
/// split work across cores themselves, here and in attention.
private let singleThreadedBLAS: Void = PlatformBLAS.setThreads(1)

/// The one entry point to BLAS: C[m,n] = alpha · op(A) · op(B) + beta · C, all row-major, where op
/// transposes when asked. `lda`/`ldb`/`ldc` are row strides, so a head's slice of a [T, C] matrix is
/// used in place. Large products are split across the cores by `splitProduct`'s rule unless `parallel`
/// is false (callers already running one product per core).
@inline(__always)
func gemm(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, parallel: Bool = true
) {
    func part(_ rows: Range<Int>, _ columns: Range<Int>) {
        // Rows of op(A) are rows of A, or columns of A when it is transposed.
        let aStart = transA ? a + rows.lowerBound : a + rows.lowerBound * lda
        sgemmPart(
            transA: transA, transB: transB, rows: rows, columns: columns, k: k, alpha: alpha, a: aStart, lda: lda, b: b,
            ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
    if parallel { splitProduct(m: m, n: n, k: k, part) } else { part(0..<m, 0..<n) }
}

/// One part of a product on this thread: C[rows, columns] = alpha · op(A)[rows] · op(B)[:, columns] +
/// beta · C[rows, columns], where `a` points at op(A)'s first row of the part and b, c at the whole
/// matrices.
func sgemmPart(
    transA: Bool, transB: Bool, rows: Range<Int>, columns: Range<Int>, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    _ = singleThreadedBLAS
    // Columns of op(B) are columns of B, or rows of B when it is transposed.
    let bStart = transB ? b + columns.lowerBound * ldb : b + columns.lowerBound
    PlatformBLAS.sgemm(
        transA: transA, transB: transB, m: rows.count, n: columns.count, k: k, alpha: alpha, a: a, lda: lda, b: bStart,
        ldb: ldb, beta: beta, c: c + rows.lowerBound * ldc + columns.lowerBound, ldc: ldc)
}

/// Details of the linked BLAS, for benchmarks and logs.
package enum BLASInfo {
    /// The BLAS library: OpenBLAS's build configuration and the kernel it chose for this CPU, or Accelerate.
    package static var description: String { PlatformBLAS.description }

}
