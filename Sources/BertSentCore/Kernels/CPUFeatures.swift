import CKernels

/// The instruction sets of this CPU that kernels check before running code compiled for them alone.
/// Tests inject other values to exercise the refusal path on a CPU that has them.
public struct CPUFeatures: Sendable, Equatable {
    /// Lower-case names as in /proc/cpuinfo's flags without underscores: avx512f, avx512bw, avx512vl,
    /// avx512bf16, avx512vnni.
    public var instructionSets: Set<String>

    /// A CPU with exactly these instruction sets; tests inject one that lacks some.
    public init(instructionSets: Set<String>) {
        self.instructionSets = instructionSets
    }

    /// What cpuid and the OS report for this machine (512-bit sets only when the OS saves zmm state).
    public static let current: CPUFeatures = {
        let bits = bs_cpu_features()
        let known: [(UInt32, String)] = [
            (UInt32(BS_CPU_AVX512F), "avx512f"), (UInt32(BS_CPU_AVX512BW), "avx512bw"),
            (UInt32(BS_CPU_AVX512VL), "avx512vl"), (UInt32(BS_CPU_AVX512BF16), "avx512bf16"),
            (UInt32(BS_CPU_AVX512VNNI), "avx512vnni"),
        ]
        return CPUFeatures(instructionSets: Set(known.filter { bits & $0.0 != 0 }.map(\.1)))
    }()

    /// The sets each reduced-precision GEMM is compiled for (Sources/CKernels/bf16_gemm.c, int8_gemm.c).
    static func requirements(of precision: Precision) -> [String] {
        switch precision {
        case .fp32: []
        case .bf16: ["avx512f", "avx512bw", "avx512vl", "avx512bf16"]
        case .int8: ["avx512f", "avx512bw", "avx512vl", "avx512vnni"]
        }
    }

    /// Throws, naming the missing instruction sets, unless this CPU runs `precision`'s kernel.
    package func require(_ precision: Precision) throws {
        let needed = Self.requirements(of: precision)
        let missing = needed.filter { !instructionSets.contains($0) }
        guard missing.isEmpty else {
            throw CoreError.unsupportedCPU(precision: precision, needed: needed, missing: missing)
        }
    }
}
