import BertSentModel

/// Token ids of a batch with each text's class index.
public struct TrainingBatch: Sendable {
    public var tokens: TokenBatch
    public var labels: [Int]

    public init(tokens: TokenBatch, labels: [Int]) {
        self.tokens = tokens
        self.labels = labels
    }
}
