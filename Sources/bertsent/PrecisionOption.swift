import ArgumentParser
import BertSent

/// `--precision`, for the commands that run inference (and `bench train`).
struct PrecisionOption: ParsableArguments {
    @Option(
        help:
            "Arithmetic of the encoder's linear layers: fp32; bf16 (about twice as fast on CPUs with AVX-512 BF16 or Arm's BF16; on other CPUs the same rounding with FP32 products, no faster than fp32); or int8, dynamic quantisation (faster on every x86-64 CPU, most with AVX-512 VNNI or AVX-VNNI, and on Arm with SDOT or I8MM; less accurate). Weights converted once at load; BERTSENT_ISA caps the kernels (portable|avx2|avx-vnni|avx512 on x86-64, portable|neon|neon-dotprod|neon-i8mm on arm64)."
    )
    var precision: Precision = .fp32
}

extension Precision: ExpressibleByArgument {}
