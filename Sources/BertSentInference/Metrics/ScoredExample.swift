import Foundation

/// One evaluated text with its true class and the model's probabilities.
public struct ScoredExample: Sendable, Equatable, Codable {
    /// The review as evaluated.
    public var text: String
    /// Index of the true class.
    public var label: Int
    /// Index of the predicted class: the most probable one, the lowest index on a tie.
    public var predicted: Int
    /// One probability per class, in the model's order.
    public var probabilities: [Float]

    /// An example predicted as the argmax of `probabilities`, as `ClassificationMetrics` counts it.
    public init(text: String, label: Int, probabilities: [Float]) {
        self.text = text
        self.label = label
        self.predicted = ClassificationMetrics.predictedClass(probabilities)
        self.probabilities = probabilities
    }

    /// The probability of the predicted class.
    public var confidence: Float { probabilities.indices.contains(predicted) ? probabilities[predicted] : 0 }

    /// Whether the prediction is the true class.
    public var isCorrect: Bool { label == predicted }
}
