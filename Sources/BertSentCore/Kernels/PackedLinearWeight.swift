/// A linear layer's weight converted once, for inference, to the operand layout of a reduced-precision
/// kernel (bf16 or int8), with the product that uses it.
package protocol PackedLinearWeight: AnyObject, Sendable {
    var outFeatures: Int { get }
    var inFeatures: Int { get }
    /// Bytes the converted weight occupies.
    var byteCount: Int { get }
    /// out (n, OC) = inp (n, IC, row stride `inputStride`) · weightᵀ + bias, split over the cores.
    func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, bias: UnsafePointer<Float>?, n: Int, inputStride: Int)
}

/// Columns the reduced-precision kernels compute per panel: a column split must fall on a multiple of it.
let packedPanelWidth = 32

/// Splits an m × n × k product over the cores as `gemm` does: by rows, or by column panels when there
/// are few rows (a single text), where halves of the rows would each stream all of the weight for
/// little work. `body(rows, columns)` computes one part; small products stay on the calling thread.
func splitProduct(m: Int, n: Int, k: Int, _ body: (Range<Int>, Range<Int>) -> Void) {
    let panels = (n + packedPanelWidth - 1) / packedPanelWidth
    let byColumns = m < 256 && panels >= 8
    let chunks = m * n * k >= 1 << 21 ? max(1, min(coreCount, byColumns ? panels / 4 : m / 32)) : 1
    parallelFor(chunks) { chunk in
        if byColumns {
            let first = panels * chunk / chunks, last = panels * (chunk + 1) / chunks
            body(0..<m, (first * packedPanelWidth)..<min(n, last * packedPanelWidth))
        } else {
            body((m * chunk / chunks)..<(m * (chunk + 1) / chunks), 0..<n)
        }
    }
}
