/// A row `ReviewDataset.load(csv:skipBadRows: true)` left out, and why.
public struct SkippedRow: Sendable, Equatable {
    /// The 1-based physical line where the record starts.
    public var line: Int
    /// What is wrong with it.
    public var problem: DatasetError.RowProblem
    /// What is wrong with it, naming the field: `problem`'s description.
    public var reason: String { problem.description }

    /// The record starting at `line`, left out for `problem`.
    public init(line: Int, problem: DatasetError.RowProblem) {
        self.line = line
        self.problem = problem
    }
}
