import Foundation

extension ClassificationMetrics {
    /// One point of an ROC curve: predicting "positive" for scores ≥ `threshold` gives these rates.
    public struct RocPoint: Sendable, Codable, Equatable {
        /// Of the negatives, the fraction scored at or above the threshold (JSON key `fpr`).
        public var falsePositiveRate: Double
        /// Of the positives, the fraction scored at or above the threshold (JSON key `tpr`).
        public var truePositiveRate: Double
        /// `nil` for the curve's first point (0, 0), where the threshold is above every score.
        public var threshold: Double?

        /// A point as given (for comparisons and tests); the metrics compute the curve.
        public init(falsePositiveRate: Double, truePositiveRate: Double, threshold: Double?) {
            self.falsePositiveRate = falsePositiveRate
            self.truePositiveRate = truePositiveRate
            self.threshold = threshold
        }

        enum CodingKeys: String, CodingKey {
            case falsePositiveRate = "fpr"
            case truePositiveRate = "tpr"
            case threshold
        }
    }
}

/// Receiver operating characteristic of scores against binary truth, as scikit-learn computes it.
package enum ROC {
    /// The area under the curve as the Mann–Whitney statistic: the chance that a random positive
    /// scores above a random negative, ties counting half (average ranks). This equals the
    /// trapezoidal area scikit-learn's `roc_auc_score` reports. `nil` without both kinds of example.
    package static func area(scores: [Float], positives: [Bool]) -> Double? {
        let positiveCount = positives.filter { $0 }.count
        let negativeCount = positives.count - positiveCount
        guard positiveCount > 0, negativeCount > 0 else { return nil }
        var positiveRankSum = 0.0
        for group in tiedGroups(scores: scores, descending: false) {
            // Ranks are 1-based; a tied group shares the mean of the ranks it spans.
            let meanRank = Double(group.start + group.end + 2) / 2
            positiveRankSum += meanRank * Double(group.members.filter { positives[$0] }.count)
        }
        let n = Double(positiveCount)
        return (positiveRankSum - n * (n + 1) / 2) / (n * Double(negativeCount))
    }

    /// The curve's corners from (0, 0) to (1, 1), one per distinct score, without the points that lie
    /// on a straight line between their neighbours (scikit-learn's `roc_curve(drop_intermediate=True)`).
    /// `nil` without both kinds of example.
    package static func curve(scores: [Float], positives: [Bool]) -> [ClassificationMetrics.RocPoint]? {
        let positiveCount = positives.filter { $0 }.count
        let negativeCount = positives.count - positiveCount
        guard positiveCount > 0, negativeCount > 0 else { return nil }
        var truePositives: [Int] = [], falsePositives: [Int] = [], thresholds: [Float] = []
        var (tp, fp) = (0, 0)
        for group in tiedGroups(scores: scores, descending: true) {
            let hits = group.members.filter { positives[$0] }.count
            tp += hits
            fp += group.members.count - hits
            truePositives.append(tp)
            falsePositives.append(fp)
            thresholds.append(scores[group.members[0]])
        }
        let kept = truePositives.indices.filter { i in
            guard i > 0, i < truePositives.count - 1 else { return true }
            let bendsTP = truePositives[i + 1] - 2 * truePositives[i] + truePositives[i - 1] != 0
            let bendsFP = falsePositives[i + 1] - 2 * falsePositives[i] + falsePositives[i - 1] != 0
            return bendsTP || bendsFP
        }
        let origin = ClassificationMetrics.RocPoint(falsePositiveRate: 0, truePositiveRate: 0, threshold: nil)
        return [origin]
            + kept.map {
                ClassificationMetrics.RocPoint(
                    falsePositiveRate: Double(falsePositives[$0]) / Double(negativeCount),
                    truePositiveRate: Double(truePositives[$0]) / Double(positiveCount),
                    threshold: Double(thresholds[$0]))
            }
    }

    /// Example indices sorted by score and grouped by equal score; `start`/`end` are the group's
    /// 0-based positions in the sorted order.
    private static func tiedGroups(scores: [Float], descending: Bool) -> [(start: Int, end: Int, members: [Int])] {
        let order = scores.indices.sorted { descending ? scores[$0] > scores[$1] : scores[$0] < scores[$1] }
        var groups: [(start: Int, end: Int, members: [Int])] = []
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            groups.append((start, end, Array(order[start...end])))
            start = end + 1
        }
        return groups
    }
}
