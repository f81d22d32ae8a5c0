import BertSent

/// Whether this CPU runs the bf16 kernels (AVX-512 BF16).
package let hasBf16 = CPUFeatures.current.instructionSets.contains("avx512bf16")
/// Whether this CPU runs the int8 kernels (AVX-512 VNNI).
package let hasVnni = CPUFeatures.current.instructionSets.contains("avx512vnni")

/// How far reduced-precision outputs may be from FP32's: about 2.5× the measurements, far above FP32's
/// 1e-4 / 1e-5, and far below what a wrong weight, bias, scale or split does (errors of O(1)).
package enum ReducedPrecisionTolerance {
    /// (hidden states, pooled output, logits) for `precision`.
    package static func of(_ precision: Precision) -> (hidden: Float, pooled: Float, logits: Float) {
        precision == .int8 ? (0.5, 0.05, 0.01) : (0.05, 2e-3, 5e-4)
    }
}
