/// Texts with their class indices.
public struct TextsAndClasses: Sendable {
    public var texts: [String]
    public var labels: [Int]

    public init(texts: [String], labels: [Int]) {
        self.texts = texts
        self.labels = labels
    }
}
