import BertSentCore

/// A predictor that cannot be built as asked, or metrics that cannot be computed from what was given.
public enum InferenceError: BertSentError, Equatable {
    /// The token limit is outside 2 … the model's `max_position_embeddings`.
    case maxLengthOutOfRange(Int, modelLimit: Int)
    /// A batch must hold at least one text.
    case invalidBatchSize(Int)
    /// The tokenizer has ids the model has no embedding for.
    case vocabularyMismatch(tokenizer: Int, model: Int)
    /// A metrics file that does not decode.
    case notAMetricsFile(reason: String)
    /// Metrics need at least two classes.
    case tooFewClasses(Int)
    /// Metrics need at least one example.
    case noExamples
    /// One label per row of probabilities is needed.
    case labelCountMismatch(labels: Int, rows: Int)
    /// Example `example`'s label is not a class index.
    case labelOutOfRange(example: Int, label: Int, classes: Int)
    /// Example `example` has a probability count other than the class count.
    case probabilityCountMismatch(example: Int, found: Int, classes: Int)
    /// Example `example`'s probabilities are not each in 0…1 and summing to 1.
    case notADistribution(example: Int, probabilities: [Float])

    public var category: ErrorCategory { .invalidInput }

    public var description: String {
        switch self {
        case .maxLengthOutOfRange(let length, let limit):
            "max length \(length) must be between 2 and the model's max_position_embeddings \(limit)"
        case .invalidBatchSize(let size): "batch size must be at least 1, got \(size)"
        case .vocabularyMismatch(let tokenizer, let model):
            "the tokenizer's vocabulary (\(tokenizer) tokens) is larger than the model's vocab_size \(model)"
        case .notAMetricsFile(let reason): "not a metrics file (\(reason))"
        case .tooFewClasses(let count): "classes: need at least two class names, got \(count)"
        case .noExamples: "labels: no examples to evaluate"
        case .labelCountMismatch(let labels, let rows): "labels: \(labels) labels but \(rows) rows of probabilities"
        case .labelOutOfRange(let example, let label, let classes):
            "example \(example): label \(label) is not a class index (0..<\(classes))"
        case .probabilityCountMismatch(let example, let found, let classes):
            "example \(example): \(found) probabilities for \(classes) classes"
        case .notADistribution(let example, let probabilities):
            "example \(example): probabilities \(probabilities) are not a distribution (each in 0…1, summing to 1)"
        }
    }
}
