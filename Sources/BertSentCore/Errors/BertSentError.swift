import Foundation

/// What kind of failure an error is, for callers that act on the kind rather than on the message: the
/// CLI maps each kind to its exit code, a server to its status.
public enum ErrorCategory: String, Sendable, CaseIterable {
    /// The input (a file's contents, a text, a setting) is malformed or out of range: fix the input.
    case invalidInput
    /// A named file or folder does not exist or cannot be read.
    case fileUnavailable
    /// Writing failed: no space, no permission, a path that is not a folder.
    case writeFailed
    /// The system could not provide the memory.
    case outOfMemory
    /// The Hub or the network failed.
    case network
    /// The process was asked to stop (a signal) and stopped cleanly, its work saved to continue later.
    case interrupted
    /// bertsent reached a state it should never reach: a bug.
    case `internal`
}

/// Every error bertsent's libraries throw. Each target has its own enum whose cases carry the data (the
/// file, line, field, tensor or setting); `description` is the message a person can act on.
public protocol BertSentError: LocalizedError, CustomStringConvertible, Sendable {
    var category: ErrorCategory { get }
}

extension BertSentError {
    public var errorDescription: String? { description }
}
