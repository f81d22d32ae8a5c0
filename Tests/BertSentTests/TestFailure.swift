/// A test helper's own failure (a fixture server that did not start, say), not an error bertsent threw.
struct TestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
