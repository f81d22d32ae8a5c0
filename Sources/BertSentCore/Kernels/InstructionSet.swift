import CKernels

/// The instruction-set levels the kernels are compiled for, lowest first; each level's CPUs also run
/// every level below it. `BERTSENT_ISA` caps the level a process uses.
public enum InstructionSet: String, Sendable, Codable, CaseIterable, Comparable {
    /// C compiled for the architecture's baseline (SSE2 on x86-64): any CPU.
    case portable
    /// AVX2 + FMA: x86-64 since Haswell (2013) and AMD Zen 1.
    case avx2
    /// AVX2 + FMA + AVX-VNNI (256-bit `vpdpbusd`): Intel since Alder Lake, AMD since Zen 5.
    case avxVnni = "avx-vnni"
    /// AVX-512 F, BW, CD, DQ and VL; its int8 and bf16 kernels also need VNNI and BF16.
    case avx512

    /// The environment variable that caps the level.
    public static let environmentVariable = "BERTSENT_ISA"

    /// Instruction sets (`CPUFeatures` names) a CPU needs for this level.
    public var requirements: [String] {
        switch self {
        case .portable: []
        case .avx2: ["avx2", "fma"]
        case .avxVnni: ["avx2", "fma", "avxvnni"]
        case .avx512: ["avx2", "fma", "avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"]
        }
    }

    /// The level as the C kernels number it (BS_ISA_*).
    package var cLevel: Int32 {
        switch self {
        case .portable: Int32(BS_ISA_PORTABLE)
        case .avx2: Int32(BS_ISA_AVX2)
        case .avxVnni: Int32(BS_ISA_AVX_VNNI)
        case .avx512: Int32(BS_ISA_AVX512)
        }
    }

    /// Lower levels first, in declaration order.
    public static func < (a: InstructionSet, b: InstructionSet) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The cap an environment sets, nil when `BERTSENT_ISA` is unset or empty; throws for any other value
    /// than a level's name.
    public static func cap(environment: [String: String]) throws(CoreError) -> InstructionSet? {
        guard let value = environment[environmentVariable], !value.isEmpty else { return nil }
        guard let level = InstructionSet(rawValue: value.lowercased()) else {
            throw CoreError.unknownInstructionSet(value, expected: allCases.map(\.rawValue))
        }
        return level
    }
}

/// The int8 GEMM a process runs (Sources/CKernels/int8_*.c); all give the same outputs bit for bit.
public enum Int8Kernel: String, Sendable, Codable, CaseIterable {
    /// AVX-512 VNNI: `vpdpbusd` on 512-bit registers.
    case avx512Vnni = "avx512-vnni"
    /// AVX-VNNI: `vpdpbusd` on 256-bit registers.
    case avxVnni = "avx-vnni"
    /// AVX2: `vpmaddubsw` + `vpmaddwd` with the sign trick.
    case avx2
    /// Portable C.
    case portable

    /// The copy's number for `bs_int8_gemm`: the level it is compiled for.
    package var cKernel: Int32 {
        switch self {
        case .avx512Vnni: InstructionSet.avx512.cLevel
        case .avxVnni: InstructionSet.avxVnni.cLevel
        case .avx2: InstructionSet.avx2.cLevel
        case .portable: InstructionSet.portable.cLevel
        }
    }
}

/// How a process computes bf16 products.
public enum Bf16Kernel: String, Sendable, Codable, CaseIterable {
    /// AVX-512 BF16's `vdpbf16ps`: pairs of bf16 products into FP32 lanes, about twice the FP32 rate.
    case avx512Bf16 = "avx512-bf16"
    /// The operands rounded to bf16 as `vdpbf16ps` rounds them, then multiplied in FP32 by BLAS, where
    /// their products are exact: the same arithmetic on any CPU, summed in another order, and no faster
    /// than FP32.
    case widened = "fp32-widened"
}
