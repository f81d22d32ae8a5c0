import CKernels

/// A linear layer's weight (outFeatures × inFeatures, as checkpoints store it) rounded once to bf16 and
/// packed in the layout of the bf16 GEMM (Sources/CKernels/bf16_gemm.c). Only created after
/// `CPUFeatures.requireBf16Gemm`, since packing uses the same instructions.
final class PackedBf16Weight: @unchecked Sendable {
    let outFeatures: Int
    let inFeatures: Int
    let pointer: UnsafeMutablePointer<UInt16>

    /// weight is (outFeatures, inFeatures) row-major.
    init(weight: UnsafePointer<Float>, outFeatures: Int, inFeatures: Int) {
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        let count = bs_bf16_packed_count(outFeatures, inFeatures)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<UInt16>.stride, alignment: 64)
            .bindMemory(to: UInt16.self, capacity: count)
        bs_bf16_pack_weights(pointer, weight, outFeatures, inFeatures)
    }

    deinit { pointer.deallocate() }
}

/// Columns the bf16 kernel computes per panel: a column split must fall on a multiple of it.
private let bf16PanelWidth = 32

/// out = bf16(inp) · bf16(weight)ᵀ + bias with fp32 sums, as `linearForward` but on the bf16 kernel, the
/// bias added in its epilogue. inp is (n, IC) with row stride `inputStride`, out is (n, OC), bias (OC).
/// Split across the cores as `gemm`: by rows, or by column panels when there are few rows (a single
/// text), where halves of the rows would each stream all of the weight for little work.
func bf16LinearForward(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: PackedBf16Weight,
    bias: UnsafePointer<Float>?, n: Int, inputStride: Int
) {
    let oc = weight.outFeatures, ic = weight.inFeatures
    let panels = (oc + bf16PanelWidth - 1) / bf16PanelWidth
    let byColumns = n < 256 && panels >= 8
    let chunks = n * oc * ic >= 1 << 21 ? max(1, min(coreCount, byColumns ? panels / 4 : n / 32)) : 1
    parallelFor(chunks) { chunk in
        if byColumns {
            let first = panels * chunk / chunks, last = panels * (chunk + 1) / chunks
            bs_bf16_gemm(out, oc, inp, inputStride, weight.pointer, bias, n, ic,
                         first * bf16PanelWidth, min(oc, last * bf16PanelWidth))
        } else {
            let rows = (n * chunk / chunks)..<(n * (chunk + 1) / chunks)
            bs_bf16_gemm(out + rows.lowerBound * oc, oc, inp + rows.lowerBound * inputStride, inputStride, weight.pointer,
                         bias, rows.count, ic, 0, oc)
        }
    }
}
