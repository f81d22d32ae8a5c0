import BertSentInference
import Foundation

/// How sure the model was: a histogram of the predicted class's probability, correct predictions and
/// mistakes stacked, from 1/classes (the least a winning class can have) to 1.
enum ConfidenceHistogramChart {
    static let title = "Confidence of predictions"
    static let binCount = 20

    static func svg(_ examples: [ScoredExample], classCount: Int) -> String {
        let lower = 1 / Double(max(classCount, 2))
        let binWidth = (1 - lower) / Double(binCount)
        var correct = Array(repeating: 0, count: binCount), wrong = Array(repeating: 0, count: binCount)
        for example in examples {
            let bin = min(binCount - 1, max(0, Int((Double(example.confidence) - lower) / binWidth)))
            if example.isCorrect { correct[bin] += 1 } else { wrong[bin] += 1 }
        }
        let tallest = zip(correct, wrong).map { $0 + $1 }.max() ?? 0
        let upper = PlotScale.rounded(lower: 0, upper: Double(max(tallest, 1)) * 1.05).upper
        var plot = SVGPlot(
            id: "confidence", width: 540, height: 360, margins: .init(top: 44, right: 24, bottom: 56, left: 72),
            (lower, 1), (0, upper))
        let yTicks = plot.y.ticks(target: 6).filter { $0.value == $0.value.rounded() }
        plot.grid(yTicks: yTicks)
        plot.axes(
            xTicks: plot.x.ticks(target: 6), yTicks: yTicks, xTitle: "probability of the predicted class",
            yTitle: "examples")
        for bin in 0..<binCount {
            let x0 = lower + Double(bin) * binWidth, x1 = x0 + binWidth
            let range = String(format: "%.3f–%.3f", x0, x1)
            // A 1 px gap between bars keeps neighbouring bins apart.
            let inset = binWidth * 0.04
            if correct[bin] > 0 {
                plot.box(
                    x0: x0 + inset, x1: x1 - inset, y0: 0, y1: Double(correct[bin]), color: ReportStyle.blue,
                    opacity: 0.85,
                    tooltip: "confidence \(range): \(correct[bin]) correct")
            }
            if wrong[bin] > 0 {
                plot.box(
                    x0: x0 + inset, x1: x1 - inset, y0: Double(correct[bin]), y1: Double(correct[bin] + wrong[bin]),
                    color: ReportStyle.orange, tooltip: "confidence \(range): \(wrong[bin]) wrong")
            }
        }
        plot.legend([
            .init(label: "correct (\(correct.reduce(0, +)))", color: ReportStyle.blue, symbol: .box),
            .init(label: "wrong (\(wrong.reduce(0, +)))", color: ReportStyle.orange, symbol: .box),
        ])
        return plot.svg(title: title)
    }
}
