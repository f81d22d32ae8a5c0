import BertSentTraining
import Foundation

/// A run's epochs on a step axis: alternate epochs shaded, boundaries dashed, each labelled just above
/// the plot (charts using it leave about 60 px of top margin: legend, then epoch labels).
enum EpochBands {
    /// Each epoch's step range, from the log's step/epoch ratio; empty when the log has no epoch > 0.
    static func ranges(_ log: [TrainingLogEntry]) -> [(epoch: Int, from: Double, to: Double)] {
        guard let last = log.filter({ $0.epoch > 0 && $0.epoch.isFinite }).max(by: { $0.step < $1.step }) else {
            return []
        }
        let stepsPerEpoch = Double(last.step) / last.epoch
        let lastStep = Double(log.map(\.step).max() ?? 0)
        guard stepsPerEpoch > 0, stepsPerEpoch.isFinite else { return [] }
        // A tiny tolerance so a run that ends exactly on an epoch boundary does not get an empty band.
        let count = max(1, Int((lastStep / stepsPerEpoch - 1e-9).rounded(.up)))
        return (1...count).map { ($0, Double($0 - 1) * stepsPerEpoch, min(Double($0) * stepsPerEpoch, lastStep)) }
    }

    static func draw(_ log: [TrainingLogEntry], on plot: inout SVGPlot) {
        let ranges = ranges(log)
        for range in ranges {
            if range.epoch % 2 == 0 {
                plot.box(x0: range.from, x1: range.to, y0: plot.y.lower, y1: plot.y.upper, color: ReportStyle.band)
            }
            if range.epoch > 1 { plot.verticalRule(at: range.from, color: ReportStyle.axis) }
            let middle = (plot.x.position(range.from) + plot.x.position(range.to)) / 2
            plot.text(
                "epoch \(range.epoch)", x: middle, y: plot.top - 6, anchor: "middle", size: 11, color: ReportStyle.muted
            )
        }
    }
}
