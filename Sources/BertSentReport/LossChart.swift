import BertSentTraining
import Foundation

/// The loss curves of a run: training loss per step (faint) with its moving average, validation loss at
/// each evaluation (markers), x = optimizer step, epochs as alternating bands.
enum LossChart {
    static let title = "Training and validation loss"

    /// The chart, or `nil` when the log has no finite losses.
    static func svg(_ log: [TrainingLogEntry]) -> String? {
        let train = log.filter { $0.kind == .train && $0.loss.isFinite }.sorted { $0.step < $1.step }
        let eval = log.filter { $0.kind == .eval && $0.loss.isFinite }.sorted { $0.step < $1.step }
        guard !train.isEmpty || !eval.isEmpty else { return nil }
        let window = max(1, train.count / 40)
        let smoothed = movingAverage(train.map(\.loss), window: window)
        let (kind, lower, upper) = yDomain(raw: train.map(\.loss), smoothed: smoothed, validation: eval.map(\.loss))
        let lastStep = Double((train + eval).map(\.step).max() ?? 0)

        var plot = SVGPlot(
            id: "loss", width: 1132, height: 380, margins: .init(top: 60, right: 24, bottom: 48, left: 68),
            (0, max(lastStep, 1)), y: kind, (lower, upper))
        EpochBands.draw(log, on: &plot)
        let yTicks = plot.y.ticks()
        plot.grid(yTicks: yTicks)
        plot.axes(
            xTicks: plot.x.ticks(target: 10), yTicks: yTicks, xTitle: "optimizer step",
            yTitle: kind == .logarithmic ? "loss (log scale)" : "loss")
        let trainPoints = train.map { (x: Double($0.step), y: $0.loss) }
        plot.line(thinned(trainPoints), color: ReportStyle.lightBlue, width: 1, opacity: 0.8)
        // A line needs two points; a run logged for one step still shows it.
        if trainPoints.count == 1 { plot.markers(trainPoints, color: ReportStyle.blue, radius: 4) }
        if window > 1 {
            plot.line(
                thinned(zip(train, smoothed).map { (x: Double($0.step), y: $1) }), color: ReportStyle.blue, width: 2.5)
        }
        let evalPoints = eval.map { (x: Double($0.step), y: $0.loss) }
        plot.line(evalPoints, color: ReportStyle.orange, width: 1.5, dashed: true)
        plot.markers(
            evalPoints, color: ReportStyle.orange, radius: 5,
            tooltips: eval.map {
                String(format: "step %d (epoch %.2f): validation loss %.4g", $0.step, $0.epoch, $0.loss)
            })

        var legend: [SVGPlot.LegendItem] = []
        if !train.isEmpty {
            legend.append(.init(label: "train loss per step", color: ReportStyle.lightBlue, symbol: .line))
        }
        if window > 1 {
            legend.append(
                .init(label: "train loss, \(window)-step moving average", color: ReportStyle.blue, symbol: .line))
        }
        if !eval.isEmpty { legend.append(.init(label: "validation loss", color: ReportStyle.orange, symbol: .marker)) }
        plot.legend(legend)
        return plot.svg(title: title)
    }

    /// Centred moving average; the window shrinks at the ends so the curve spans every step.
    static func movingAverage(_ values: [Double], window: Int) -> [Double] {
        guard window > 1 else { return values }
        var prefix = [0.0]
        for value in values { prefix.append(prefix.last! + value) }
        let half = window / 2
        return values.indices.map { i in
            let from = max(0, i - half), to = min(values.count, i + half + 1)
            return (prefix[to] - prefix[from]) / Double(to - from)
        }
    }

    /// At most about `limit` points, so a long run does not make a huge page: each bucket of
    /// consecutive points keeps its lowest and highest, in step order, so the noise band survives.
    static func thinned(_ points: [(x: Double, y: Double)], limit: Int = 2000) -> [(x: Double, y: Double)] {
        guard points.count > limit else { return points }
        let bucket = (points.count + limit / 2 - 1) / (limit / 2)
        return stride(from: 0, to: points.count, by: bucket).flatMap { start -> [(x: Double, y: Double)] in
            let slice = points[start..<min(start + bucket, points.count)]
            guard let low = slice.min(by: { $0.y < $1.y }), let high = slice.max(by: { $0.y < $1.y }) else { return [] }
            return low.x <= high.x ? [low, high] : [high, low]
        }
    }

    /// A log scale when the losses span more than a factor of 20 (e.g. 0.0029 → 0.0001), else linear
    /// from 0. Single noisy steps beyond the 1st/99th percentile are left to be clipped so they do not
    /// flatten the curves everyone reads.
    static func yDomain(raw: [Double], smoothed: [Double], validation: [Double]) -> (PlotScale.Kind, Double, Double) {
        let sortedRaw = raw.sorted()
        func percentile(_ p: Double) -> Double? {
            sortedRaw.isEmpty ? nil : sortedRaw[min(sortedRaw.count - 1, Int(p * Double(sortedRaw.count - 1)))]
        }
        let lows = [percentile(0.01)].compactMap { $0 } + smoothed + validation
        let highs = [percentile(0.99)].compactMap { $0 } + smoothed + validation
        let low = lows.min() ?? 0, high = highs.max() ?? 1
        if low > 0, high / low > 20 {
            return (.logarithmic, low / 1.25, high * 1.25)
        }
        let rounded = PlotScale.rounded(lower: 0, upper: max(high, 1e-12) * 1.04)
        return (.linear, 0, rounded.upper)
    }
}
