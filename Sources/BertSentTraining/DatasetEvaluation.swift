import BertSentData
import BertSentInference
import BertSentModel
import Foundation

/// A model run over a labelled dataset: what `bertsent evaluate` and the report show.
public struct DatasetEvaluation: Sendable {
    /// Accuracy, per-class and averaged scores, ROC and the confusion matrix over the dataset.
    public var metrics: ClassificationMetrics
    /// Each text with its label and predicted probabilities, in dataset order.
    public var examples: [ScoredExample]
    /// Mean loss as in training (cross-entropy, or BCE for a sigmoid head).
    public var loss: Double

    /// Predicts every text of `dataset` and scores it against its label; a label the model does not
    /// know is an error naming the file and line.
    public init(predictor: Predictor, dataset: ReviewDataset) throws {
        let classes = predictor.model.config.classNames
        let labels = try dataset.labelIndices(for: classes)
        let encodings = try predictor.profile.encode(dataset.texts, prepared: dataset.textsCleaned)
        let logits = try predictor.logits(encodings: encodings)
        examples = zip(dataset.texts, zip(labels, logits)).map { text, scored in
            ScoredExample(text: text, label: scored.0, probabilities: Prediction.probabilities(logits: scored.1))
        }
        metrics = try ClassificationMetrics(examples: examples, classes: classes)
        loss = ClassificationLoss.mean(logits: logits, labels: labels)
    }
}
