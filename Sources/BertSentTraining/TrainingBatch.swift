import BertSentModel

/// Token ids of a batch with each text's class index.
package struct TrainingBatch: Sendable {
    package var tokens: TokenBatch
    package var labels: [Int]

    package init(tokens: TokenBatch, labels: [Int]) {
        self.tokens = tokens
        self.labels = labels
    }
}
