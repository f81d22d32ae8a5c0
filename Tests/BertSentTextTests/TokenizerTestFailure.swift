import BertSentTestSupport

/// A tokenizer test's own failure, such as a fixture naming a strategy the tests do not know.
struct TokenizerTestFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
