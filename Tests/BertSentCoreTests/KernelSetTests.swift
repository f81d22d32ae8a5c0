import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Which kernels each CPU gets under each cap (injected CPUs, so every case runs on any machine), and
/// the cap's parsing. A silent fall-back (say, to portable C on a CPU with AVX2) fails these.
struct KernelSetTests {
    static let zen3 = CPUFeatures(instructionSets: ["avx2", "fma"])
    static let alderLake = CPUFeatures(instructionSets: ["avx2", "fma", "avxvnni"])
    static let skylakeX = CPUFeatures(
        instructionSets: ["avx2", "fma", "avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"])
    static let cascadeLake = CPUFeatures(instructionSets: skylakeX.instructionSets.union(["avx512vnni"]))
    static let zen4 = CPUFeatures(instructionSets: cascadeLake.instructionSets.union(["avx512bf16"]))
    static let zen5 = CPUFeatures(instructionSets: zen4.instructionSets.union(["avxvnni"]))
    // arm64, as Linux's hwcaps and macOS's sysctl report them (Sources/CKernels/cpu_features.c); the same
    // sets qemu's cortex-a72, neoverse-n1 and max give scripts/test-arm64-kernels.sh.
    static let cortexA72 = CPUFeatures(instructionSets: ["asimd"])
    static let graviton2 = CPUFeatures(instructionSets: ["asimd", "asimddp"])
    static let graviton3 = CPUFeatures(instructionSets: ["asimd", "asimddp", "i8mm", "bf16"])

    struct Expected: CustomTestStringConvertible {
        var name: String
        var cpu: CPUFeatures
        var cap: InstructionSet?
        var level: InstructionSet
        var int8: Int8Kernel
        var bf16: Bf16Kernel
        var testDescription: String { "\(name), cap \(cap?.rawValue ?? "none")" }
    }

    static let cases: [Expected] = [
        Expected(
            name: "no vector sets", cpu: CPUFeatures(instructionSets: []), cap: nil, level: .portable, int8: .portable,
            bf16: .widened),
        Expected(name: "Zen 3", cpu: zen3, cap: nil, level: .avx2, int8: .avx2, bf16: .widened),
        Expected(name: "Zen 3", cpu: zen3, cap: .avx512, level: .avx2, int8: .avx2, bf16: .widened),
        Expected(name: "Zen 3", cpu: zen3, cap: .portable, level: .portable, int8: .portable, bf16: .widened),
        Expected(name: "Alder Lake", cpu: alderLake, cap: nil, level: .avxVnni, int8: .avxVnni, bf16: .widened),
        Expected(name: "Alder Lake", cpu: alderLake, cap: .avx2, level: .avx2, int8: .avx2, bf16: .widened),
        Expected(name: "Skylake-X", cpu: skylakeX, cap: nil, level: .avx512, int8: .avx2, bf16: .widened),
        Expected(name: "Cascade Lake", cpu: cascadeLake, cap: nil, level: .avx512, int8: .avx512Vnni, bf16: .widened),
        // No AVX-VNNI: the cap avx-vnni gives the AVX2 level.
        Expected(name: "Cascade Lake", cpu: cascadeLake, cap: .avxVnni, level: .avx2, int8: .avx2, bf16: .widened),
        Expected(name: "Zen 4", cpu: zen4, cap: nil, level: .avx512, int8: .avx512Vnni, bf16: .avx512Bf16),
        Expected(name: "Zen 5", cpu: zen5, cap: nil, level: .avx512, int8: .avx512Vnni, bf16: .avx512Bf16),
        Expected(name: "Zen 5", cpu: zen5, cap: .avxVnni, level: .avxVnni, int8: .avxVnni, bf16: .widened),
        Expected(name: "Zen 5", cpu: zen5, cap: .avx2, level: .avx2, int8: .avx2, bf16: .widened),
        Expected(name: "Zen 5", cpu: zen5, cap: .portable, level: .portable, int8: .portable, bf16: .widened),
        Expected(name: "Cortex-A72", cpu: cortexA72, cap: nil, level: .neon, int8: .neon, bf16: .widened),
        Expected(name: "Cortex-A72", cpu: cortexA72, cap: .neonI8mm, level: .neon, int8: .neon, bf16: .widened),
        Expected(
            name: "Graviton2", cpu: graviton2, cap: nil, level: .neonDotprod, int8: .neonDotprod, bf16: .widened),
        Expected(name: "Graviton2", cpu: graviton2, cap: .neon, level: .neon, int8: .neon, bf16: .widened),
        Expected(name: "Graviton3", cpu: graviton3, cap: nil, level: .neonI8mm, int8: .neonI8mm, bf16: .neonBf16),
        Expected(
            name: "Graviton3", cpu: graviton3, cap: .neonDotprod, level: .neonDotprod, int8: .neonDotprod,
            bf16: .widened),
        Expected(name: "Graviton3", cpu: graviton3, cap: .portable, level: .portable, int8: .portable, bf16: .widened),
        // A cap of the other architecture's levels (only reachable by constructing one): portable.
        Expected(name: "Graviton3", cpu: graviton3, cap: .avx512, level: .portable, int8: .portable, bf16: .widened),
        Expected(name: "Zen 5", cpu: zen5, cap: .neonI8mm, level: .portable, int8: .portable, bf16: .widened),
    ]

    @Test(arguments: cases)
    func kernelsForEachCPUAndCap(_ expected: Expected) {
        let kernels = KernelSet(cpu: expected.cpu, cap: expected.cap)
        #expect(kernels.instructionSet == expected.level)
        #expect(kernels.int8 == expected.int8)
        #expect(kernels.bf16 == expected.bf16)
    }

    /// This machine: under each cap it runs, that level exactly (no level is skipped on a real CPU
    /// whose sets are nested), and the process's own set is the best one (BERTSENT_ISA unset in tests,
    /// or the cap CI sets).
    @Test func thisMachineRunsEveryLevelUpToItsBest() throws {
        let best = CPUFeatures.current.best
        #expect(KernelSet.availableCaps.last == best)
        for cap in KernelSet.availableCaps {
            #expect(KernelSet(cpu: .current, cap: cap).instructionSet == cap)
        }
        let cap = try InstructionSet.cap(environment: ProcessInfo.processInfo.environment)
        #expect(KernelSet.active == KernelSet(cpu: .current, cap: cap))
    }

    @Test func capIsParsedFromTheEnvironment() throws {
        #expect(try InstructionSet.cap(environment: [:]) == nil)
        #expect(try InstructionSet.cap(environment: ["BERTSENT_ISA": ""]) == nil)
        let x86 = ["portable", "avx2", "avx-vnni", "avx512"], arm = ["portable", "neon", "neon-dotprod", "neon-i8mm"]
        #expect(try InstructionSet.cap(environment: ["BERTSENT_ISA": "AVX2"], architecture: .x86_64) == .avx2)
        #expect(try InstructionSet.cap(environment: ["BERTSENT_ISA": "avx-vnni"], architecture: .x86_64) == .avxVnni)
        #expect(try InstructionSet.cap(environment: ["BERTSENT_ISA": "neon"], architecture: .arm64) == .neon)
        #expect(try InstructionSet.cap(environment: ["BERTSENT_ISA": "portable"], architecture: .arm64) == .portable)
        #expect(throws: CoreError.unknownInstructionSet("sse9", expected: x86)) {
            try InstructionSet.cap(environment: ["BERTSENT_ISA": "sse9"], architecture: .x86_64)
        }
        // Another architecture's level is refused with this one's names.
        #expect(throws: CoreError.unknownInstructionSet("neon-i8mm", expected: x86)) {
            try InstructionSet.cap(environment: ["BERTSENT_ISA": "neon-i8mm"], architecture: .x86_64)
        }
        #expect(throws: CoreError.unknownInstructionSet("avx512", expected: arm)) {
            try InstructionSet.cap(environment: ["BERTSENT_ISA": "avx512"], architecture: .arm64)
        }
    }
}
