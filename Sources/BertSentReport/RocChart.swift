import BertSentInference
import Foundation

/// ROC curves with the chance diagonal: P(class 1) for two classes, one one-vs-rest curve per class for
/// more; the area under each curve is in the legend.
enum RocChart {
    static let title = "ROC curve"

    /// The chart, or `nil` when some class has no examples (no curve is defined).
    static func svg(_ metrics: ClassificationMetrics, examples: [ScoredExample]) -> String? {
        let curves = self.curves(metrics, examples: examples)
        guard !curves.isEmpty else { return nil }
        let legend =
            curves.enumerated().map { index, curve in
                SVGPlot.LegendItem(
                    label: curve.label, color: ReportStyle.series[index % ReportStyle.series.count], symbol: .line)
            } + [.init(label: "chance", color: ReportStyle.axis, symbol: .dashedLine)]
        // A square plot, centred, under as many legend rows as the curves need.
        let (width, side, left) = (540.0, 380.0, 100.0)
        let top = 26 + 18 * Double(SVGPlot.legendRows(legend, from: left, to: left + side) - 1) + 18
        var plot = SVGPlot(
            id: "roc", width: width, height: top + side + 56,
            margins: .init(top: top, right: width - left - side, bottom: 56, left: left), (0, 1), (0, 1))
        let ticks = plot.x.ticks(target: 6)
        plot.grid(yTicks: ticks, xTicks: ticks)
        plot.axes(xTicks: ticks, yTicks: ticks, xTitle: "false positive rate", yTitle: "true positive rate")
        plot.line([(0, 0), (1, 1)], color: ReportStyle.axis, width: 1.2, dashed: true)
        for (index, curve) in curves.enumerated() {
            let color = ReportStyle.series[index % ReportStyle.series.count]
            let points = curve.points.map { (x: $0.falsePositiveRate, y: $0.truePositiveRate) }
            if curves.count == 1 { plot.area(points, color: color, opacity: 0.08) }
            plot.line(points, color: color, width: 2.2)
        }
        plot.legend(legend)
        return plot.svg(title: title)
    }

    /// The binary curve from the metrics, or one-vs-rest curves computed from the examples.
    private static func curves(_ metrics: ClassificationMetrics, examples: [ScoredExample]) -> [(
        label: String, points: [ClassificationMetrics.RocPoint]
    )] {
        if metrics.classes.count == 2 {
            guard let curve = metrics.rocCurve, let area = metrics.rocAUC else { return [] }
            return [("ROC of \(metrics.classes[1]) (AUC = \(String(format: "%.3f", area)))", curve)]
        }
        let perClass = metrics.classes.indices.map { c -> (label: String, points: [ClassificationMetrics.RocPoint])? in
            let scores = examples.map { $0.probabilities.indices.contains(c) ? $0.probabilities[c] : 0 }
            let positives = examples.map { $0.label == c }
            guard let curve = ROC.curve(scores: scores, positives: positives),
                let area = ROC.area(scores: scores, positives: positives)
            else { return nil }
            return (
                "\(ReportHTML.excerpt(metrics.classes[c], limit: 16)) vs rest (AUC = \(String(format: "%.3f", area)))",
                curve
            )
        }
        let defined = perClass.compactMap { $0 }
        return defined.count == perClass.count ? defined : []
    }
}
