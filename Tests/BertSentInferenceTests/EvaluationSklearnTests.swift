import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Metrics against scikit-learn (Tests/Fixtures/metrics/cases.json, from tools/fixtures/metrics_fixtures.py).
@Suite struct EvaluationSklearnTests {
    struct Scores: Decodable { let precision: Double, recall: Double, f1: Double }
    struct ClassScores: Decodable { let precision: Double, recall: Double, f1: Double, support: Int }
    struct Curve: Decodable { let fpr: [Double], tpr: [Double], thresholds_after_origin: [Double] }
    struct Expected: Decodable {
        let accuracy: Double
        let confusion: [[Int]]
        let per_class: [ClassScores]
        let macro: Scores, weighted: Scores
        let binary: Scores?
        let roc_auc: Double?
        let roc_curve: Curve?
    }
    struct Case: Decodable, CustomTestStringConvertible {
        let name: String
        let classes: [String]
        let labels: [Int]
        let probabilities: [[Float]]
        let expected: Expected
        var testDescription: String { name }
    }
    struct Document: Decodable { let cases: [Case] }

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: Fixtures.url("metrics/cases.json")),
            let document = try? JSONDecoder().decode(Document.self, from: data)
        else { return [] }
        return document.cases
    }()

    /// Sums are taken in a different order than numpy's, so allow a few ulps.
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 }

    @Test func fixtureLoads() {
        #expect(Self.cases.count == 6)
    }

    @Test(arguments: cases) func agreesWithScikitLearn(_ fixture: Case) throws {
        let metrics = try ClassificationMetrics(
            labels: fixture.labels, probabilities: fixture.probabilities, classes: fixture.classes)
        let expected = fixture.expected
        #expect(metrics.count == fixture.labels.count)
        #expect(close(metrics.accuracy, expected.accuracy))
        #expect(metrics.confusion == expected.confusion)
        for (ours, theirs) in zip(metrics.perClass, expected.per_class) {
            #expect(
                close(ours.precision, theirs.precision) && close(ours.recall, theirs.recall)
                    && close(ours.f1, theirs.f1),
                "\(ours.name): \(ours) vs \(theirs)")
            #expect(ours.support == theirs.support)
        }
        for (ours, theirs) in [(metrics.macro, expected.macro), (metrics.weighted, expected.weighted)] {
            #expect(
                close(ours.precision, theirs.precision) && close(ours.recall, theirs.recall)
                    && close(ours.f1, theirs.f1),
                "\(ours) vs \(theirs)")
        }
        let headline = expected.binary ?? expected.macro
        #expect(
            close(metrics.precision, headline.precision) && close(metrics.recall, headline.recall)
                && close(metrics.f1, headline.f1))
        #expect((metrics.rocAUC == nil) == (expected.roc_auc == nil))
        if let ours = metrics.rocAUC, let theirs = expected.roc_auc {
            #expect(close(ours, theirs), "AUC \(ours) vs \(theirs)")
        }
        if let curve = expected.roc_curve {
            let ours = try #require(metrics.rocCurve)
            #expect(ours.count == curve.fpr.count)
            #expect(zip(ours.map(\.falsePositiveRate), curve.fpr).allSatisfy { close($0, $1) })
            #expect(zip(ours.map(\.truePositiveRate), curve.tpr).allSatisfy { close($0, $1) })
            #expect(ours.first?.threshold == nil)
            #expect(ours.dropFirst().map { $0.threshold ?? .nan } == curve.thresholds_after_origin)
        } else {
            #expect(metrics.rocCurve == nil)
        }
    }
}
