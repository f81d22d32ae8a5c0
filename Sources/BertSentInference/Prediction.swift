import Foundation

/// A classifier's answer for one text.
public struct Prediction: Sendable, Equatable, Codable {
    /// The most probable class.
    public let label: String
    /// Its probability.
    public let confidence: Float
    /// Every class, in the model's order, with its probability.
    public let classes: [String]
    /// The probability of each of `classes`, in the same order; they sum to 1.
    public let probabilities: [Float]
    /// The head's raw outputs (one per label; one for a sigmoid head).
    public let logits: [Float]

    /// Reads the head's logits: softmax over two or more labels, sigmoid for a single logit.
    public init(logits: [Float], classes: [String]) {
        let probabilities = Prediction.probabilities(logits: logits)
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        self.label = classes[best]
        self.confidence = probabilities[best]
        self.classes = classes
        self.probabilities = probabilities
        self.logits = logits
    }

    /// Class probabilities from one text's logits: softmax, or [1 − σ(x), σ(x)] for a single logit.
    public static func probabilities(logits: [Float]) -> [Float] {
        if logits.count == 1 {
            let p = 1 / (1 + exp(-logits[0]))
            return [1 - p, p]
        }
        let maximum = logits.max() ?? 0
        let exps = logits.map { exp($0 - maximum) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }
}
