import CKernels

/// A linear layer's weight (outFeatures × inFeatures, as checkpoints store it) quantised once to int8,
/// one symmetric scale per output feature, and packed in the layout of the int8 GEMM
/// (Sources/CKernels/int8_gemm.h), which quantises each input row as it goes (dynamic quantisation), on
/// the copy of the GEMM `kernel` names.
// Sendable by hand: quantised and packed once in init, only read afterwards.
package final class PackedInt8Weight: PackedLinearWeight, @unchecked Sendable {
    package let outFeatures: Int
    package let inFeatures: Int
    let kernel: Int8Kernel
    let packed: UnsafeMutablePointer<Int8>
    /// Per output feature: the scale of its int8 values, and 128 × their sum (the kernel's correction
    /// for inputs stored as unsigned bytes).
    let scales: [Float]
    let offsets: [Int32]
    package var byteCount: Int { bs_int8_packed_count(outFeatures, inFeatures) + outFeatures * 8 }

    /// weight is (outFeatures, inFeatures) row-major.
    package init(weight: UnsafePointer<Float>, outFeatures: Int, inFeatures: Int, kernel: Int8Kernel) {
        self.kernel = kernel
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        let count = bs_int8_packed_count(outFeatures, inFeatures)
        packed = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 64).bindMemory(
            to: Int8.self, capacity: count)
        var scales = [Float](repeating: 0, count: outFeatures), offsets = [Int32](repeating: 0, count: outFeatures)
        bs_int8_pack_weights(packed, &scales, &offsets, weight, outFeatures, inFeatures)
        (self.scales, self.offsets) = (scales, offsets)
    }

    deinit { packed.deallocate() }

    /// out = inp · weightᵀ + bias with each row of inp quantised to int8 on the fly, int32 sums.
    package func forward(
        out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, bias: UnsafePointer<Float>?, n: Int,
        inputStride: Int
    ) {
        scales.withUnsafeBufferPointer { scales in
            offsets.withUnsafeBufferPointer { offsets in
                splitProduct(m: n, n: outFeatures, k: inFeatures) { rows, columns in
                    bs_int8_gemm(
                        kernel.cKernel, out + rows.lowerBound * outFeatures, outFeatures,
                        inp + rows.lowerBound * inputStride,
                        inputStride,
                        packed, scales.baseAddress!, offsets.baseAddress!, bias, rows.count, inFeatures,
                        columns.lowerBound, columns.upperBound)
                }
            }
        }
    }
}
