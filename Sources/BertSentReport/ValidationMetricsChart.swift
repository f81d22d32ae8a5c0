import BertSentTraining
import Foundation

/// Validation accuracy, precision, recall and F1 at each evaluation of a run, on the same step axis as
/// the loss chart.
enum ValidationMetricsChart {
    static let title = "Validation metrics per evaluation"

    private static var series: [(name: String, value: KeyPath<TrainingLogEntry, Double?>, color: String)] {
        [
            ("accuracy", \.accuracy, ReportStyle.blue),
            ("precision", \.precision, ReportStyle.green),
            ("recall", \.recall, ReportStyle.purple),
            ("F1", \.f1, ReportStyle.orange),
        ]
    }

    /// The chart, or `nil` when no evaluation in the log has metrics.
    static func svg(_ log: [TrainingLogEntry]) -> String? {
        let evals = log.filter { $0.kind == .eval }.sorted { $0.step < $1.step }
        let values = series.map { s in
            evals.compactMap { entry in entry[keyPath: s.value].map { (x: Double(entry.step), y: $0) } }
        }
        let all = values.flatMap { $0.map(\.y) }.filter(\.isFinite)
        guard let smallest = all.min() else { return nil }
        // Zoom in on the range the metrics occupy (they often all sit above 0.9), in steps of 0.05.
        let lower = min(max(0, ((smallest - 0.02) / 0.05).rounded(.down) * 0.05), 0.9)
        let upper = max(1, all.max() ?? 1)
        let lastStep = Double(log.map(\.step).max() ?? 0)

        var plot = SVGPlot(
            id: "validation", width: 1132, height: 300, margins: .init(top: 60, right: 24, bottom: 48, left: 68),
            (0, max(lastStep, 1)), (lower, upper))
        EpochBands.draw(log, on: &plot)
        let yTicks = plot.y.ticks()
        plot.grid(yTicks: yTicks)
        plot.axes(xTicks: plot.x.ticks(target: 10), yTicks: yTicks, xTitle: "optimizer step", yTitle: "score")
        for (s, points) in zip(series, values) where !points.isEmpty {
            plot.line(points, color: s.color, width: 2)
            plot.markers(
                points, color: s.color, radius: 4.5,
                tooltips: points.map { "step \(Int($0.x)): \(s.name) " + String(format: "%.4f", $0.y) })
        }
        plot.legend(
            zip(series, values).filter { !$1.isEmpty }.map {
                .init(label: $0.0.name, color: $0.0.color, symbol: .marker)
            })
        return plot.svg(title: title)
    }
}
