import Foundation

extension ClassificationMetrics {
    /// Precision, recall and F1 of one class; 0 where a ratio has no denominator (scikit-learn's
    /// `zero_division=0`).
    public struct PerClass: Sendable, Codable, Equatable {
        /// The class's name, from `classes`.
        public var name: String
        /// Of the examples predicted as this class, the fraction that are.
        public var precision: Double
        /// Of the examples of this class, the fraction predicted as it.
        public var recall: Double
        /// Harmonic mean of precision and recall.
        public var f1: Double
        /// Examples whose true class this is.
        public var support: Int

        /// Scores as given (for comparisons and tests); the metrics compute their own.
        public init(name: String, precision: Double, recall: Double, f1: Double, support: Int) {
            self.name = name
            self.precision = precision
            self.recall = recall
            self.f1 = f1
            self.support = support
        }

        /// Class `index`'s scores from a `confusion[true][predicted]` matrix.
        init(confusion: [[Int]], index: Int, name: String) {
            let truePositives = confusion[index][index]
            let predicted = confusion.map { $0[index] }.reduce(0, +)
            let support = confusion[index].reduce(0, +)
            // F1 as 2·TP / (2·TP + FP + FN) = 2·TP / (predicted + support), the form scikit-learn uses,
            // so rounding matches it too.
            let f1Denominator = predicted + support
            self.init(
                name: name,
                precision: Self.ratio(truePositives, predicted),
                recall: Self.ratio(truePositives, support),
                f1: Self.ratio(2 * truePositives, f1Denominator),
                support: support)
        }

        private static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
            denominator == 0 ? 0 : Double(numerator) / Double(denominator)
        }
    }

    /// Precision, recall and F1 averaged over the classes.
    public struct Averages: Sendable, Codable, Equatable {
        /// Mean of the per-class precisions.
        public var precision: Double
        /// Mean of the per-class recalls.
        public var recall: Double
        /// Mean of the per-class F1 scores (not the F1 of the mean precision and recall).
        public var f1: Double

        /// Averages as given (for comparisons and tests); the metrics compute their own.
        public init(precision: Double, recall: Double, f1: Double) {
            self.precision = precision
            self.recall = recall
            self.f1 = f1
        }

        /// The `weights`-weighted means of the per-class scores.
        init(_ classes: [PerClass], weights: [Double]) {
            let total = weights.reduce(0, +)
            func mean(_ value: (PerClass) -> Double) -> Double {
                total == 0 ? 0 : zip(classes, weights).map { value($0) * $1 }.reduce(0, +) / total
            }
            self.init(precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1))
        }
    }
}
