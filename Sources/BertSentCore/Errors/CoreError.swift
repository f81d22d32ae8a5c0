/// What BertSentCore's buffers, kernels and generator throw.
public enum CoreError: BertSentError, Equatable {
    /// The system could not provide `floats` Float32 values (a batch or model too large for this machine).
    case outOfMemory(floats: Int)
    /// `BERTSENT_ISA` holds `value`, which names no instruction-set level (`expected` lists them).
    case unknownInstructionSet(String, expected: [String])
    /// A saved generator state is not four words, or is all zero (xoshiro's one invalid state).
    case invalidGeneratorState([UInt64])
    /// `BERTSENT_THREADS` holds `value`, which is not a positive integer.
    case invalidThreadCount(String)

    public var category: ErrorCategory {
        switch self {
        case .outOfMemory: .outOfMemory
        case .unknownInstructionSet: .invalidInput
        case .invalidGeneratorState: .invalidInput
        case .invalidThreadCount: .invalidInput
        }
    }

    public var description: String {
        switch self {
        case .outOfMemory(let floats):
            "out of memory: cannot allocate \(floats) floats (\(floats / (1 << 18)) MB); use a smaller batch size or max length"
        case .unknownInstructionSet(let value, let expected):
            "\(InstructionSet.environmentVariable)=\(value) names no instruction-set level; use one of \(expected.joined(separator: ", ")) (or unset it for the CPU's best)"
        case .invalidGeneratorState(let words):
            "a generator state is four words, not all zero; got \(words)"
        case .invalidThreadCount(let value):
            "\(ThreadCount.environmentVariable)=\(value) is not a thread count; use a positive integer (or unset it for every core)"
        }
    }
}
