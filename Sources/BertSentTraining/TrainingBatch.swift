import BertSentModel

/// Token ids of a batch with each text's class index and, when distilling, the teacher's logits.
package struct TrainingBatch: Sendable {
    package var tokens: TokenBatch
    /// Class indices; `DistillationLoss.unlabeled` for a text without one (distillation only).
    package var labels: [Int]
    /// The teacher's logits, (B, numLabels) row-major; nil outside distillation.
    package var teacherLogits: [Float]?

    package init(tokens: TokenBatch, labels: [Int], teacherLogits: [Float]? = nil) {
        self.tokens = tokens
        self.labels = labels
        self.teacherLogits = teacherLogits
    }
}
