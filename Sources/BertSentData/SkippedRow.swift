/// A row `ReviewDataset.load(csv:skipBadRows: true)` left out, and why.
public struct SkippedRow: Sendable, Equatable {
    /// The 1-based physical line where the record starts.
    public var line: Int
    /// What is wrong with it, naming the field.
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }
}
