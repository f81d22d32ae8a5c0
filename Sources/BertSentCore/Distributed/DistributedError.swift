/// What running as one of several processes (ranks) under `mpirun` throws.
public enum DistributedError: BertSentError, Equatable {
    /// The process was started by an MPI launcher (`variable` says so, for `size` ranks) but Open MPI's
    /// library could not be loaded or used; `reason` says why.
    case mpiUnavailable(variable: String, size: Int, reason: String)
    /// An MPI call returned the error `code`.
    case callFailed(function: String, code: Int32)

    public var category: ErrorCategory {
        switch self {
        case .mpiUnavailable: .invalidInput
        case .callFailed: .internal
        }
    }

    public var description: String {
        switch self {
        case .mpiUnavailable(let variable, let size, let reason):
            "started by mpirun as one of \(size) ranks (\(variable) is set), but \(reason); install Open MPI's library (Debian: apt-get install libopenmpi3), or run without mpirun. Not running: \(size) independent copies would write the same files"
        case .callFailed(let function, let code):
            "\(function) failed with MPI error \(code)"
        }
    }
}
