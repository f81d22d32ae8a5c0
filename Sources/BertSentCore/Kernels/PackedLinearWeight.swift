/// A linear layer's weight converted once, for inference, to the operand layout of a reduced-precision
/// kernel (bf16 or int8), with the product that uses it.
package protocol PackedLinearWeight: AnyObject, Sendable {
    var outFeatures: Int { get }
    var inFeatures: Int { get }
    /// Bytes the converted weight occupies.
    var byteCount: Int { get }
    /// out (n, OC) = inp (n, IC, row stride `inputStride`) · weightᵀ + bias, split over the cores.
    func forward(
        out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, bias: UnsafePointer<Float>?, n: Int,
        inputStride: Int)
}
