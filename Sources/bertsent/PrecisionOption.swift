import ArgumentParser
import BertSent

/// `--precision`, for the commands that run inference (and `bench train`).
struct PrecisionOption: ParsableArguments {
    @Option(help: "Arithmetic of the encoder's linear layers: fp32, or bf16 (about twice as fast on CPUs with AVX-512 BF16, refused elsewhere; weights converted once at load).")
    var precision: Precision = .fp32
}

extension Precision: ExpressibleByArgument {}
