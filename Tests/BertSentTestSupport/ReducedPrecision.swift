import BertSent

/// Whether this CPU has a native bf16 GEMM (AVX-512 BF16, or Arm's FEAT_BF16); other CPUs run bf16 on
/// the widened kernel, which its own tests cover.
package let hasNativeBf16 = KernelSet(cpu: .current).bf16.isNative

/// How far reduced-precision outputs may be from FP32's: about 2.5× the measurements, far above FP32's
/// 1e-4 / 1e-5, and far below what a wrong weight, bias, scale or split does (errors of O(1)).
package enum ReducedPrecisionTolerance {
    /// (hidden states, pooled output, logits) for `precision`.
    package static func of(_ precision: Precision) -> (hidden: Float, pooled: Float, logits: Float) {
        precision == .int8 ? (0.5, 0.05, 0.01) : (0.05, 2e-3, 5e-4)
    }
}
