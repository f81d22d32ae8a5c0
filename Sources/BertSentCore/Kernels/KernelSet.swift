import Foundation

/// The kernels a process runs: the highest instruction-set level the CPU supports at or below the cap,
/// and the int8 and bf16 kernels that level gives on this CPU. Chosen once per process (`active`);
/// models and tests may take another set.
public struct KernelSet: Sendable, Equatable, Codable {
    /// The level of the elementwise kernels and the ceiling of the others.
    public var instructionSet: InstructionSet
    /// The int8 GEMM.
    public var int8: Int8Kernel
    /// How bf16 products are computed.
    public var bf16: Bf16Kernel

    /// The kernels `cpu` runs when capped at `cap` (nil: no cap): the highest level of the CPU's
    /// architecture at or below the cap. A level the CPU lacks is skipped: on a CPU with AVX-512 but no
    /// AVX-VNNI, the cap avx-vnni gives AVX2; a cap of another architecture gives portable.
    public init(cpu: CPUFeatures, cap: InstructionSet? = nil) {
        let levels = InstructionSet.allCases.filter(cpu.supports)
        let level = levels.last { cap == nil || ($0 <= cap! && $0.architecture == cap!.architecture) } ?? .portable
        let has = cpu.instructionSets.contains
        instructionSet = level
        int8 =
            switch level {
            case .portable: .portable
            case .avx2: .avx2
            case .avxVnni: .avxVnni
            case .avx512: has("avx512vnni") ? .avx512Vnni : has("avxvnni") ? .avxVnni : .avx2
            case .neon: .neon
            case .neonDotprod: .neonDotprod
            case .neonI8mm: .neonI8mm
            }
        // The native bf16 kernels only at each architecture's top level, where the CPUs that have them are.
        bf16 =
            level == .avx512 && has("avx512bf16")
            ? .avx512Bf16 : level == .neonI8mm && has("bf16") ? .neonBf16 : .widened
    }

    /// This machine's kernels under the process's `BERTSENT_ISA` (an unknown value counts as none: the
    /// command line refuses it before any work).
    public static let active = KernelSet(
        cpu: .current, cap: try? InstructionSet.cap(environment: ProcessInfo.processInfo.environment))

    /// Every level this CPU runs, lowest first: the caps under which each of its kernel paths is chosen.
    public static var availableCaps: [InstructionSet] { InstructionSet.allCases.filter(CPUFeatures.current.supports) }

    /// The kernel of `precision`'s linear products, for logs, `/info` and benchmarks: the int8 or bf16
    /// kernel's name, or for fp32 "openblas" and the level of the elementwise kernels around it.
    public func kernel(for precision: Precision) -> String {
        switch precision {
        case .fp32: "openblas+\(instructionSet.rawValue)"
        case .bf16: bf16.rawValue
        case .int8: int8.rawValue
        }
    }

    /// One line for logs and benchmarks, e.g. "avx512 (int8 avx512-vnni, bf16 avx512-bf16)".
    public var summary: String { "\(instructionSet.rawValue) (int8 \(int8.rawValue), bf16 \(bf16.rawValue))" }
}

extension KernelSet {
    /// The active level as the elementwise C kernels take it.
    package static let elementwiseLevel = active.instructionSet.cLevel
}
