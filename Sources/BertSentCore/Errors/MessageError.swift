import Foundation

/// The error that carried only a message, kept while each target moves to its own typed errors.
public struct MessageError: BertSentError, Equatable {
    /// The file the problem is in, when there is one.
    public var file: String?
    /// What is wrong, naming the tensor, field or line.
    public var message: String

    public init(_ message: String, file: String? = nil) {
        self.message = message
        self.file = file
    }

    /// The same error, attributed to `file` unless it already names one.
    public func inFile(_ file: String) -> MessageError {
        self.file == nil ? MessageError(message, file: file) : self
    }

    public var category: ErrorCategory { .invalidInput }
    public var description: String { file.map { "\($0): \(message)" } ?? message }
}
