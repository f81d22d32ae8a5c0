import BertSentCore
import Foundation

/// How well a classifier did on a labelled set: accuracy, the confusion matrix, precision/recall/F1 per
/// class and averaged, and the ROC curve and its area. Numbers follow scikit-learn's definitions
/// (`zero_division=0`, averages over every class in `classes`), so they can be checked against it.
public struct ClassificationMetrics: Sendable, Codable, Equatable {
    /// Class names, in the model's order; indices into it are the labels.
    public var classes: [String]
    /// Examples evaluated.
    public var count: Int
    /// Fraction predicted correctly.
    public var accuracy: Double
    /// `confusion[true][predicted]`: how many examples of each true class got each prediction.
    public var confusion: [[Int]]
    /// Precision, recall, F1 and support of each class, in `classes` order.
    public var perClass: [PerClass]
    /// Unweighted means over the classes.
    public var macro: Averages
    /// Means weighted by each class's support.
    public var weighted: Averages
    /// Binary: the area under the ROC curve of P(class 1). More classes: the macro mean of the
    /// one-vs-rest areas. `nil` when a class has no examples, so the area is undefined.
    public var rocAUC: Double?
    /// Binary only: the ROC curve of P(class 1), `nil` when a class has no examples.
    public var rocCurve: [RocPoint]?
    /// The headline numbers the training log reports: for two classes precision/recall/F1 of class 1
    /// (scikit-learn's `average="binary"`), otherwise the macro averages.
    public var precision: Double
    /// Headline recall: of class 1 for two classes, else macro (see `precision`).
    public var recall: Double
    /// Headline F1: of class 1 for two classes, else macro (see `precision`).
    public var f1: Double

    /// Computes the metrics of predictions `argmax(probabilities[i])` (ties go to the lowest index)
    /// against `labels`. Each row of `probabilities` has one probability per class, summing to 1.
    public init(labels: [Int], probabilities: [[Float]], classes: [String]) throws {
        try Self.validate(labels: labels, probabilities: probabilities, classes: classes)
        let predicted = probabilities.map(Self.predictedClass)
        var confusion = Array(repeating: Array(repeating: 0, count: classes.count), count: classes.count)
        for (label, guess) in zip(labels, predicted) { confusion[label][guess] += 1 }

        self.classes = classes
        count = labels.count
        accuracy = Double(classes.indices.map { confusion[$0][$0] }.reduce(0, +)) / Double(labels.count)
        self.confusion = confusion
        perClass = classes.indices.map { PerClass(confusion: confusion, index: $0, name: classes[$0]) }
        macro = Averages(perClass, weights: perClass.map { _ in 1 })
        weighted = Averages(perClass, weights: perClass.map { Double($0.support) })
        if classes.count == 2 {
            let scores = probabilities.map { $0[1] }
            let positives = labels.map { $0 == 1 }
            rocAUC = ROC.area(scores: scores, positives: positives)
            rocCurve = ROC.curve(scores: scores, positives: positives)
            (precision, recall, f1) = (perClass[1].precision, perClass[1].recall, perClass[1].f1)
        } else {
            let areas = classes.indices.map { c in
                ROC.area(scores: probabilities.map { $0[c] }, positives: labels.map { $0 == c })
            }
            let defined = areas.compactMap { $0 }
            rocAUC = defined.count == areas.count ? defined.reduce(0, +) / Double(defined.count) : nil
            rocCurve = nil
            (precision, recall, f1) = (macro.precision, macro.recall, macro.f1)
        }
    }

    /// The metrics of scored examples (their labels and probabilities).
    public init(examples: [ScoredExample], classes: [String]) throws {
        try self.init(labels: examples.map(\.label), probabilities: examples.map(\.probabilities), classes: classes)
    }

    /// Reads metrics written by `jsonData`.
    public init(jsonData: Data) throws {
        do {
            self = try JSONDecoder().decode(Self.self, from: jsonData)
        } catch {
            throw InferenceError.notAMetricsFile(reason: "\(error)")
        }
    }

    enum CodingKeys: String, CodingKey {
        case classes, count, accuracy, confusion, macro, weighted, precision, recall, f1
        case perClass = "per_class"
        case rocAUC = "roc_auc"
        case rocCurve = "roc_curve"
    }

    /// The metrics as pretty-printed JSON with sorted keys (the run's `metrics.json`).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The index of the largest probability; the first one wins a tie, as numpy's argmax does.
    static func predictedClass(_ probabilities: [Float]) -> Int {
        probabilities.indices.reduce(0) { probabilities[$1] > probabilities[$0] ? $1 : $0 }
    }

    /// Rejects input whose metrics would be meaningless, naming the example at fault.
    private static func validate(labels: [Int], probabilities: [[Float]], classes: [String]) throws {
        guard classes.count >= 2 else {
            throw InferenceError.tooFewClasses(classes.count)
        }
        guard !labels.isEmpty else { throw InferenceError.noExamples }
        guard labels.count == probabilities.count else {
            throw InferenceError.labelCountMismatch(labels: labels.count, rows: probabilities.count)
        }
        for (index, (label, row)) in zip(labels, probabilities).enumerated() {
            guard classes.indices.contains(label) else {
                throw InferenceError.labelOutOfRange(example: index, label: label, classes: classes.count)
            }
            guard row.count == classes.count else {
                throw InferenceError.probabilityCountMismatch(example: index, found: row.count, classes: classes.count)
            }
            // Softmax in float32 sums to 1 within ~1e-6; anything further off is not a distribution.
            guard row.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1 }), abs(row.reduce(0, +) - 1) <= 1e-3 else {
                throw InferenceError.notADistribution(example: index, probabilities: row)
            }
        }
    }
}
