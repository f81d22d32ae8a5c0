import ArgumentParser
import BertSent

/// `--precision`, for the commands that run inference (and `bench train`).
struct PrecisionOption: ParsableArguments {
    @Option(
        help:
            "Arithmetic of the encoder's linear layers: fp32; bf16 (about twice as fast on CPUs with AVX-512 BF16); or int8, dynamic quantisation (about 2.5× as fast on CPUs with AVX-512 VNNI, less accurate). Refused on CPUs without the instructions; weights converted once at load."
    )
    var precision: Precision = .fp32
}

extension Precision: ExpressibleByArgument {}
