import BertSent
import Foundation
import Testing

/// Metrics on hand-computed cases, bad input, and JSON round trips.
@Suite struct EvaluationMetricsTests {
    let binary = ["negative", "positive"]

    /// Rows [1 − p, p] for binary scores p.
    func rows(_ scores: [Float]) -> [[Float]] { scores.map { [1 - $0, $0] } }

    @Test func binaryByHand() throws {
        // Predictions 1 1 0 0 1 0 against labels 1 0 0 1 1 0: TP 2, FP 1, FN 1, TN 2.
        let metrics = try ClassificationMetrics(
            labels: [1, 0, 0, 1, 1, 0],
            probabilities: rows([0.9, 0.8, 0.3, 0.4, 0.7, 0.1]), classes: binary)
        #expect(metrics.count == 6)
        #expect(metrics.accuracy == 4.0 / 6)
        #expect(metrics.confusion == [[2, 1], [1, 2]])
        #expect(metrics.precision == 2.0 / 3)
        #expect(metrics.recall == 2.0 / 3)
        #expect(abs(metrics.f1 - 2.0 / 3) < 1e-15)
        #expect(metrics.perClass.map(\.support) == [3, 3])
        #expect(metrics.perClass.map(\.name) == binary)
        // Positives score 0.9, 0.4, 0.7; negatives 0.8, 0.3, 0.1: 7 of the 9 pairs are ordered right.
        #expect(abs(metrics.rocAUC! - 7.0 / 9) < 1e-15)
        let curve = try #require(metrics.rocCurve)
        #expect(
            curve.first == ClassificationMetrics.RocPoint(falsePositiveRate: 0, truePositiveRate: 0, threshold: nil))
        #expect(curve.last?.falsePositiveRate == 1 && curve.last?.truePositiveRate == 1)
    }

    @Test func tiesCountHalfInTheArea() throws {
        // One positive and one negative with the same score: the area is exactly one half.
        let metrics = try ClassificationMetrics(labels: [1, 0], probabilities: rows([0.6, 0.6]), classes: binary)
        #expect(metrics.rocAUC == 0.5)
        #expect(metrics.rocCurve?.map(\.truePositiveRate) == [0, 1])
    }

    @Test func argmaxTiesGoToTheLowestIndex() throws {
        let metrics = try ClassificationMetrics(
            labels: [1, 2], probabilities: [[0.5, 0.5, 0], [0.2, 0.4, 0.4]],
            classes: ["a", "b", "c"])
        #expect(metrics.confusion == [[0, 0, 0], [1, 0, 0], [0, 1, 0]])
        #expect(ScoredExample(text: "", label: 0, probabilities: [0.4, 0.2, 0.4]).predicted == 0)
    }

    @Test func undefinedRatiosAreZero() throws {
        // Class 1 is never predicted (precision 0/0) and class 2 never occurs (recall 0/0).
        let metrics = try ClassificationMetrics(
            labels: [0, 0, 1], probabilities: [[0.8, 0.1, 0.1], [0.1, 0.1, 0.8], [0.7, 0.2, 0.1]],
            classes: ["a", "b", "c"])
        #expect(metrics.perClass[1] == .init(name: "b", precision: 0, recall: 0, f1: 0, support: 1))
        #expect(metrics.perClass[2] == .init(name: "c", precision: 0, recall: 0, f1: 0, support: 0))
        #expect(metrics.perClass[0].precision == 0.5 && metrics.perClass[0].recall == 0.5)
        #expect(metrics.macro.precision == 0.5 / 3)
        #expect(metrics.weighted.recall == 2.0 / 3 * 0.5)
        #expect(metrics.rocAUC == nil && metrics.rocCurve == nil)
        #expect(metrics.precision == metrics.macro.precision)
    }

    @Test func perfectPredictions() throws {
        let metrics = try ClassificationMetrics(
            labels: [0, 1, 1], probabilities: rows([0.001, 0.999, 0.98]), classes: binary)
        #expect(metrics.accuracy == 1 && metrics.f1 == 1 && metrics.rocAUC == 1)
        #expect(metrics.macro == .init(precision: 1, recall: 1, f1: 1))
    }

    @Test func singleClassPresentHasNoArea() throws {
        let metrics = try ClassificationMetrics(labels: [1, 1], probabilities: rows([0.2, 0.9]), classes: binary)
        #expect(metrics.rocAUC == nil && metrics.rocCurve == nil)
        #expect(metrics.accuracy == 0.5)
    }

    @Test func badInputIsNamed() throws {
        func error(_ labels: [Int], _ probabilities: [[Float]], _ classes: [String] = ["negative", "positive"])
            -> InferenceError?
        {
            do {
                _ = try ClassificationMetrics(labels: labels, probabilities: probabilities, classes: classes)
                return nil
            } catch { return error as? InferenceError }
        }
        #expect(error([], []) == .noExamples)
        #expect(error([0, 1], [[1, 0]]) == .labelCountMismatch(labels: 2, rows: 1))
        #expect(error([0, 2], [[1, 0], [0, 1]]) == .labelOutOfRange(example: 1, label: 2, classes: 2))
        #expect(error([0, -1], [[1, 0], [0, 1]]) == .labelOutOfRange(example: 1, label: -1, classes: 2))
        #expect(error([0, 2], [[1, 0], [0, 1]])?.description.contains("example 1: label 2") == true)
        #expect(error([0], [[0.2, 0.3, 0.5]]) == .probabilityCountMismatch(example: 0, found: 3, classes: 2))
        #expect(error([0], [[0.2, 0.3]]) == .notADistribution(example: 0, probabilities: [0.2, 0.3]))
        guard case .notADistribution(example: 0, _) = error([0], [[.nan, 1]]) else {
            Issue.record("NaN probabilities are not a distribution")
            return
        }
        #expect(error([0], [[1]], ["only"]) == .tooFewClasses(1))
    }

    @Test func examplesGiveTheSameMetrics() throws {
        let examples = [
            ScoredExample(text: "a", label: 0, probabilities: [0.7, 0.3]),
            ScoredExample(text: "b", label: 1, probabilities: [0.6, 0.4]),
        ]
        #expect(examples.map(\.isCorrect) == [true, false])
        #expect(examples[1].confidence == 0.6)
        let metrics = try ClassificationMetrics(examples: examples, classes: binary)
        #expect(
            metrics
                == (try ClassificationMetrics(
                    labels: [0, 1], probabilities: [[0.7, 0.3], [0.6, 0.4]], classes: binary)))
    }

    @Test func jsonRoundTrips() throws {
        let metrics = try ClassificationMetrics(
            labels: [1, 0, 0, 1, 1, 0], probabilities: rows([0.9, 0.8, 0.3, 0.4, 0.7, 0.1]),
            classes: ["neg <0>", "pos \"1\""])
        let data = try metrics.jsonData()
        #expect(try ClassificationMetrics(jsonData: data) == metrics)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(
            Set(object.keys).isSuperset(of: [
                "accuracy", "confusion", "per_class", "macro", "weighted", "roc_auc", "roc_curve", "f1",
            ]))
        #expect(String(decoding: data, as: UTF8.self).contains("\n  \"accuracy\""))
        #expect { try ClassificationMetrics(jsonData: Data("{}".utf8)) } throws: {
            guard case .notAMetricsFile = $0 as? InferenceError else { return false }
            return true
        }
    }

    @Test func multiclassWithoutAreaOmitsTheKey() throws {
        let metrics = try ClassificationMetrics(
            labels: [0, 1], probabilities: [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1]], classes: ["a", "b", "c"])
        let object = try #require(try JSONSerialization.jsonObject(with: metrics.jsonData()) as? [String: Any])
        #expect(object["roc_auc"] == nil && object["roc_curve"] == nil)
        #expect(try ClassificationMetrics(jsonData: metrics.jsonData()) == metrics)
    }
}
