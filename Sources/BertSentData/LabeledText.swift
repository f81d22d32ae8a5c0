/// One labelled review: its text, its class name and where it came from.
public struct LabeledText: Sendable, Equatable, Codable {
    /// The review, cleaned if it was loaded with a `TextCleaner`.
    public var text: String
    /// The class name as written in the file, such as `positive` or `1`; `noLabel` for none.
    public var label: String
    /// The 1-based physical line of the file where the record starts (fields may span lines);
    /// 0 for generated examples.
    public var line: Int

    /// The label of a text that has none (read with optional labels, for distillation).
    public static let noLabel = ""
    /// Whether the text has a label.
    public var isLabeled: Bool { label != Self.noLabel }

    /// A labelled review; `line` is 0 for one not read from a file.
    public init(text: String, label: String, line: Int = 0) {
        self.text = text
        self.label = label
        self.line = line
    }
}
