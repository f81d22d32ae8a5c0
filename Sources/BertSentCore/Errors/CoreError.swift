/// What BertSentCore's buffers, kernels and generator throw.
public enum CoreError: BertSentError, Equatable {
    /// The system could not provide `floats` Float32 values (a batch or model too large for this machine).
    case outOfMemory(floats: Int)
    /// This CPU lacks `missing`, some of the instruction sets (`needed`) `precision`'s kernel is compiled for.
    case unsupportedCPU(precision: Precision, needed: [String], missing: [String])
    /// A saved generator state is not four words, or is all zero (xoshiro's one invalid state).
    case invalidGeneratorState([UInt64])

    public var category: ErrorCategory {
        switch self {
        case .outOfMemory: .outOfMemory
        case .unsupportedCPU: .unsupportedCPU
        case .invalidGeneratorState: .invalidInput
        }
    }

    public var description: String {
        switch self {
        case .outOfMemory(let floats):
            "out of memory: cannot allocate \(floats) floats (\(floats / (1 << 18)) MB); use a smaller batch size or max length"
        case .unsupportedCPU(let precision, let needed, let missing):
            "\(precision.rawValue) needs the CPU's \(needed.joined(separator: ", ")) instructions; this CPU lacks \(missing.joined(separator: ", "))"
        case .invalidGeneratorState(let words):
            "a generator state is four words, not all zero; got \(words)"
        }
    }
}
