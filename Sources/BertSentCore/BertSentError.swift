import Foundation

/// An error a user can act on: it names the file, and the tensor, field or line where it applies.
public struct BertSentError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// The file the problem is in, when there is one.
    public var file: String?
    /// What is wrong, naming the tensor, field or line.
    public var message: String

    public init(_ message: String, file: String? = nil) {
        self.message = message
        self.file = file
    }

    /// The same error, attributed to `file` unless it already names one.
    public func inFile(_ file: String) -> BertSentError {
        self.file == nil ? BertSentError(message, file: file) : self
    }

    public var description: String { file.map { "\($0): \(message)" } ?? message }
    public var errorDescription: String? { description }
}
