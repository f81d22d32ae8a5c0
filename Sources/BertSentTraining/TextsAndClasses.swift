/// Texts with their class indices.
public struct TextsAndClasses: Sendable {
    /// The texts, in order.
    public var texts: [String]
    /// Each text's class index.
    public var labels: [Int]

    /// Texts with the class index of each.
    public init(texts: [String], labels: [Int]) {
        self.texts = texts
        self.labels = labels
    }
}
