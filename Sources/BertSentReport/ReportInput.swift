import BertSentInference
import BertSentTraining
import Foundation

/// Everything an evaluation report shows.
public struct ReportInput: Sendable {
    /// One run setting shown in the report's settings table.
    public struct Setting: Sendable, Equatable {
        /// What the setting is, e.g. "learning rate".
        public var name: String
        /// Its value as shown, e.g. "2e-5".
        public var value: String

        /// A row of the settings table, e.g. `Setting("learning rate", "2e-5")`.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The page heading, e.g. "bertsent — synthetic reviews".
    public var title: String
    /// The model: id or path, parameter count, maximum sequence length.
    public var modelDescription: String
    /// The numbers behind the cards, tables, confusion matrix and ROC curve.
    public var metrics: ClassificationMetrics
    /// Every evaluated text with its label, prediction and probabilities.
    public var examples: [ScoredExample]
    /// The run's training log; `nil` when evaluating a model without it (the training charts are then
    /// left out with a note).
    public var trainingLog: [TrainingLogEntry]?
    /// Run settings (learning rate, batch size, epochs…), shown in this order.
    public var settings: [Setting]

    /// The report's content; `metrics` are normally `ClassificationMetrics(examples: examples, classes:)`.
    public init(
        title: String, modelDescription: String, metrics: ClassificationMetrics, examples: [ScoredExample],
        trainingLog: [TrainingLogEntry]? = nil, settings: [Setting] = []
    ) {
        self.title = title
        self.modelDescription = modelDescription
        self.metrics = metrics
        self.examples = examples
        self.trainingLog = trainingLog
        self.settings = settings
    }
}
