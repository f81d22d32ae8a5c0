import BertSentModel

/// Token ids of a batch with each text's class index, the keys of its dropout masks and, when distilling,
/// the teacher's logits.
package struct TrainingBatch: Sendable {
    package var tokens: TokenBatch
    /// Class indices; `DistillationLoss.unlabeled` for a text without one (distillation only).
    package var labels: [Int]
    /// The teacher's logits, (B, numLabels) row-major; nil outside distillation.
    package var teacherLogits: [Float]?
    /// Each text's key (its index in the training set): with the step, it seeds the text's dropout masks,
    /// so a text's masks do not depend on the batch or the rank that holds it.
    package var keys: [UInt64]

    /// `keys` default to the texts' positions in the batch.
    package init(tokens: TokenBatch, labels: [Int], teacherLogits: [Float]? = nil, keys: [UInt64]? = nil) {
        self.tokens = tokens
        self.labels = labels
        self.teacherLogits = teacherLogits
        self.keys = keys ?? labels.indices.map { UInt64($0) }
    }
}
