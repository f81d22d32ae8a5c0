import BertSentData
import Foundation

extension TokenLengthStatistics {
    /// The length histogram as a standalone SVG chart: bars of texts per length bin, dashed lines at
    /// the reported max lengths, the recommended one bold, titled axes and a summary line.
    package func histogramSVG(title: String = "Token lengths") -> String {
        TokenLengthHistogramChart.svg(self, title: title)
    }
}

/// Draws `TokenLengthStatistics.histogramSVG` with the report's plotting primitives.
private enum TokenLengthHistogramChart {
    static func svg(_ statistics: TokenLengthStatistics, title: String) -> String {
        let histogram = statistics.histogram, binWidth = Double(histogram.binWidth)
        let upperBound = Double(histogram.upperBound)
        // Lengths past the last bin get one more bar, after a gap of one bin.
        let overflowStart = upperBound + binWidth
        let xUpper = histogram.overflow > 0 ? overflowStart + binWidth : upperBound
        let tallest = max(histogram.counts.max() ?? 0, histogram.overflow, 1)
        let markers = Set(TokenLengthStatistics.reportedMaxLengths + [statistics.recommendedMaxLength])
            .sorted().filter { $0 < histogram.upperBound }
        // Each marker label gets its own row, since neighbouring lines (128 and 256) sit closer than a label is wide.
        let margins = SVGPlot.Margins(top: 78 + 16 * Double(markers.count), right: 30, bottom: 66, left: 80)
        var plot = SVGPlot(
            id: "token-lengths", width: 820, height: 500 + 16 * Double(markers.count), margins: margins,
            (0, xUpper), (0, PlotScale.rounded(lower: 0, upper: Double(tallest)).upper))
        let yTicks = plot.y.ticks(target: 6).filter { $0.value == $0.value.rounded() }
        // With an overflow bar beside it, a tick at the last bin's end would collide with its "≥" label.
        let xTicks = PlotScale(.linear, lower: 0, upper: upperBound, pixels: 0, 1).ticks(target: 9)
            .filter { $0.value < upperBound || histogram.overflow == 0 }
        plot.grid(yTicks: yTicks)
        plot.axes(xTicks: xTicks, yTicks: yTicks, xTitle: "Tokens per text, [CLS] and [SEP] included", yTitle: "Texts")
        let inset = binWidth * 0.03
        for (bin, count) in histogram.counts.enumerated() where count > 0 {
            let start = Double(bin) * binWidth
            plot.box(
                x0: start + inset, x1: start + binWidth - inset, y0: 0, y1: Double(count), color: ReportStyle.blue,
                tooltip: "\(bin * histogram.binWidth)–\((bin + 1) * histogram.binWidth - 1) tokens: \(count) texts")
        }
        if histogram.overflow > 0 {
            plot.box(
                x0: overflowStart + inset, x1: xUpper - inset, y0: 0, y1: Double(histogram.overflow),
                color: ReportStyle.axis,
                tooltip: "\(histogram.upperBound)+ tokens: \(histogram.overflow) texts")
            plot.text(
                "≥ \(histogram.upperBound)", x: plot.x.position(overflowStart + binWidth / 2), y: plot.bottom + 18,
                anchor: "middle", color: ReportStyle.muted)
        }
        for (row, length) in markers.enumerated() {
            let recommended = length == statistics.recommendedMaxLength
            let color = recommended ? ReportStyle.orange : ReportStyle.muted
            plot.line(
                [(Double(length), plot.y.lower), (Double(length), plot.y.upper)], color: color,
                width: recommended ? 2 : 1.2,
                dashed: true)
            let share =
                statistics.truncation.first { $0.maxLength == length }.map { ", \(format(100 * $0.share)) % cut" } ?? ""
            let px = plot.x.position(Double(length))
            let anchor = px > plot.left + (plot.right - plot.left) * 0.8 ? "end" : "start"
            plot.text(
                (recommended ? "recommended \(length)" : "\(length)") + share, x: px + (anchor == "end" ? -5 : 5),
                y: plot.top - 8 - 16 * Double(markers.count - 1 - row), anchor: anchor, color: color, bold: recommended)
        }
        plot.text(title, x: plot.width / 2, y: 28, anchor: "middle", size: 18, bold: true)
        plot.text(summary(statistics), x: plot.width / 2, y: 50, anchor: "middle", size: 12.5, color: ReportStyle.muted)
        return plot.svg(title: title, standalone: true)
    }

    static func summary(_ s: TokenLengthStatistics) -> String {
        "\(s.count) texts · mean \(format(s.mean)) · median \(format(s.median, digits: 0)) · "
            + "p95 \(format(s.p95, digits: 0)) · max \(s.max) · recommended --max-length \(s.recommendedMaxLength) "
            + "(keeps \(format(100 * s.recommendedCoverage)) % whole)"
    }

    static func format(_ value: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
}
