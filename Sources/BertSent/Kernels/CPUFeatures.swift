import CKernels

/// The instruction sets of this CPU that kernels check before running code compiled for them alone.
/// Tests inject other values to exercise the refusal path on a CPU that has them.
public struct CPUFeatures: Sendable, Equatable {
    /// Lower-case names as in /proc/cpuinfo's flags without underscores: avx512f, avx512bw, avx512vl, avx512bf16.
    public var instructionSets: Set<String>

    public init(instructionSets: Set<String>) {
        self.instructionSets = instructionSets
    }

    /// What cpuid and the OS report for this machine (512-bit sets only when the OS saves zmm state).
    public static let current: CPUFeatures = {
        let bits = bs_cpu_features()
        let known: [(UInt32, String)] = [
            (UInt32(BS_CPU_AVX512F), "avx512f"), (UInt32(BS_CPU_AVX512BW), "avx512bw"),
            (UInt32(BS_CPU_AVX512VL), "avx512vl"), (UInt32(BS_CPU_AVX512BF16), "avx512bf16"),
        ]
        return CPUFeatures(instructionSets: Set(known.filter { bits & $0.0 != 0 }.map(\.1)))
    }()

    /// The sets the bf16 GEMM (Sources/CKernels/bf16_gemm.c) is compiled for.
    static let bf16GemmRequirements = ["avx512f", "avx512bw", "avx512vl", "avx512bf16"]

    /// Throws, naming the missing instruction sets, unless this CPU runs the bf16 GEMM.
    func requireBf16Gemm() throws {
        let missing = Self.bf16GemmRequirements.filter { !instructionSets.contains($0) }
        guard missing.isEmpty else {
            throw BertSentError("bf16 needs the CPU's AVX-512 BF16 instructions (\(Self.bf16GemmRequirements.joined(separator: ", "))); this CPU lacks \(missing.joined(separator: ", ")). Use --precision fp32")
        }
    }
}
