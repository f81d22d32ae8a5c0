import CKernels

/// The instruction-set levels the kernels are compiled for, lowest first within each architecture;
/// each level's CPUs also run every level below it on their architecture, and every CPU runs
/// `portable`. `BERTSENT_ISA` caps the level a process uses.
public enum InstructionSet: String, Sendable, Codable, CaseIterable, Comparable {
    /// C compiled for the architecture's baseline (SSE2 on x86-64, NEON on arm64): any CPU.
    case portable
    /// AVX2 + FMA: x86-64 since Haswell (2013) and AMD Zen 1.
    case avx2
    /// AVX2 + FMA + AVX-VNNI (256-bit `vpdpbusd`): Intel since Alder Lake, AMD since Zen 5.
    case avxVnni = "avx-vnni"
    /// AVX-512 F, BW, CD, DQ and VL; its int8 and bf16 kernels also need VNNI and BF16.
    case avx512
    /// NEON (Advanced SIMD), in every ARMv8-A core: Cortex-A72, Graviton1.
    case neon
    /// NEON + SDOT (FEAT_DotProd): Graviton2, Neoverse N1, Apple M1.
    case neonDotprod = "neon-dotprod"
    /// NEON + SDOT + SMMLA (FEAT_I8MM): Graviton3 and 4, Apple M2 and later; its bf16 kernel also needs
    /// FEAT_BF16.
    case neonI8mm = "neon-i8mm"

    /// The environment variable that caps the level.
    public static let environmentVariable = "BERTSENT_ISA"

    /// Instruction sets (`CPUFeatures` names) a CPU needs for this level.
    public var requirements: [String] {
        switch self {
        case .portable: []
        case .avx2: ["avx2", "fma"]
        case .avxVnni: ["avx2", "fma", "avxvnni"]
        case .avx512: ["avx2", "fma", "avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"]
        case .neon: ["asimd"]
        case .neonDotprod: ["asimd", "asimddp"]
        case .neonI8mm: ["asimd", "asimddp", "i8mm"]
        }
    }

    /// The architecture whose CPUs this level is for (nil for portable: every architecture).
    public var architecture: CPUArchitecture? {
        switch self {
        case .portable: nil
        case .avx2, .avxVnni, .avx512: .x86_64
        case .neon, .neonDotprod, .neonI8mm: .arm64
        }
    }

    /// The levels of `architecture`, portable first.
    public static func levels(of architecture: CPUArchitecture) -> [InstructionSet] {
        allCases.filter { $0.architecture == nil || $0.architecture == architecture }
    }

    /// The level as the C kernels number it (BS_ISA_*).
    package var cLevel: Int32 {
        switch self {
        case .portable: Int32(BS_ISA_PORTABLE)
        case .avx2: Int32(BS_ISA_AVX2)
        case .avxVnni: Int32(BS_ISA_AVX_VNNI)
        case .avx512: Int32(BS_ISA_AVX512)
        case .neon: Int32(BS_ISA_NEON)
        case .neonDotprod: Int32(BS_ISA_NEON_DOTPROD)
        case .neonI8mm: Int32(BS_ISA_NEON_I8MM)
        }
    }

    /// Lower levels first, in declaration order.
    public static func < (a: InstructionSet, b: InstructionSet) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The cap an environment sets, nil when `BERTSENT_ISA` is unset or empty; throws for any other value
    /// than the name of a level of `architecture` (this machine's by default).
    public static func cap(
        environment: [String: String], architecture: CPUArchitecture = .current
    ) throws(CoreError) -> InstructionSet? {
        guard let value = environment[environmentVariable], !value.isEmpty else { return nil }
        let levels = levels(of: architecture)
        guard let level = InstructionSet(rawValue: value.lowercased()), levels.contains(level) else {
            throw CoreError.unknownInstructionSet(value, expected: levels.map(\.rawValue))
        }
        return level
    }
}

/// The CPU architectures the kernels have levels for.
public enum CPUArchitecture: String, Sendable, Codable {
    /// x86-64 (AMD64).
    case x86_64
    /// arm64 (AArch64).
    case arm64

    /// The architecture this process runs on.
    public static var current: CPUArchitecture {
        #if arch(arm64)
            .arm64
        #else
            .x86_64
        #endif
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
    /// FEAT_I8MM: `smmla`, a 2×2 tile of eight-term int8 dot products.
    case neonI8mm = "neon-i8mm"
    /// FEAT_DotProd: `sdot`, four-term int8 dot products into int32 lanes.
    case neonDotprod = "neon-dotprod"
    /// NEON: `smull` + `sadalp`.
    case neon
    /// Portable C.
    case portable

    /// The copy's number for `bs_int8_gemm`: the level it is compiled for.
    package var cKernel: Int32 {
        switch self {
        case .avx512Vnni: InstructionSet.avx512.cLevel
        case .avxVnni: InstructionSet.avxVnni.cLevel
        case .avx2: InstructionSet.avx2.cLevel
        case .neonI8mm: InstructionSet.neonI8mm.cLevel
        case .neonDotprod: InstructionSet.neonDotprod.cLevel
        case .neon: InstructionSet.neon.cLevel
        case .portable: InstructionSet.portable.cLevel
        }
    }
}

/// How a process computes bf16 products.
public enum Bf16Kernel: String, Sendable, Codable, CaseIterable {
    /// AVX-512 BF16's `vdpbf16ps`: pairs of bf16 products into FP32 lanes, about twice the FP32 rate.
    case avx512Bf16 = "avx512-bf16"
    /// FEAT_BF16's `bfdot`: pairs of bf16 products into FP32 lanes, rounded to odd (Sources/CKernels/bf16_neon.c).
    case neonBf16 = "neon-bf16"
    /// The operands rounded to bf16 as `vdpbf16ps` rounds them, then multiplied in FP32 by BLAS, where
    /// their products are exact: the same arithmetic on any CPU, summed in another order, and no faster
    /// than FP32.
    case widened = "fp32-widened"
}

extension Bf16Kernel {
    /// Whether this is a bf16 dot-product instruction (bs_bf16_gemm on operands packed by
    /// bs_bf16_pack_b), rather than FP32 products of rounded operands.
    public var isNative: Bool { self != .widened }
}
