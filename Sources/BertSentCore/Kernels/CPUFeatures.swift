import CKernels

/// The instruction sets of this CPU that kernels compiled for them alone need. Tests inject other values
/// to check which kernels a CPU gets.
public struct CPUFeatures: Sendable, Equatable {
    /// Lower-case names as in /proc/cpuinfo's flags without underscores: avx2, fma, avxvnni, avx512f,
    /// avx512bw, avx512cd, avx512dq, avx512vl, avx512bf16, avx512vnni on x86-64; asimd, asimddp, i8mm,
    /// bf16 on arm64.
    public var instructionSets: Set<String>

    /// A CPU with exactly these instruction sets.
    public init(instructionSets: Set<String>) {
        self.instructionSets = instructionSets
    }

    /// What cpuid and the OS (x86-64), or the OS (arm64: hwcaps, sysctl), report for this machine.
    public static let current: CPUFeatures = {
        let bits = bs_cpu_features()
        let known: [(Int, String)] = [
            (BS_CPU_AVX2, "avx2"), (BS_CPU_FMA, "fma"), (BS_CPU_AVX_VNNI, "avxvnni"),
            (BS_CPU_AVX512F, "avx512f"), (BS_CPU_AVX512BW, "avx512bw"), (BS_CPU_AVX512CD, "avx512cd"),
            (BS_CPU_AVX512DQ, "avx512dq"), (BS_CPU_AVX512VL, "avx512vl"), (BS_CPU_AVX512BF16, "avx512bf16"),
            (BS_CPU_AVX512VNNI, "avx512vnni"), (BS_CPU_ASIMD, "asimd"), (BS_CPU_ASIMDDP, "asimddp"),
            (BS_CPU_I8MM, "i8mm"), (BS_CPU_BF16, "bf16"),
        ]
        return CPUFeatures(instructionSets: Set(known.filter { bits & UInt32($0.0) != 0 }.map(\.1)))
    }()

    /// Whether this CPU runs the kernels compiled for `level`.
    public func supports(_ level: InstructionSet) -> Bool {
        level.requirements.allSatisfy(instructionSets.contains)
    }

    /// The highest level this CPU runs.
    public var best: InstructionSet { InstructionSet.allCases.last(where: supports)! }
}
