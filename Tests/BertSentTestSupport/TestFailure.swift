/// A test helper's own failure (a fixture server that did not start, say), not an error bertsent threw.
package struct TestFailure: Error, CustomStringConvertible {
    package let description: String

    package init(_ description: String) { self.description = description }
}
