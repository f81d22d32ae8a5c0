import Foundation

extension TokenLengthStatistics {
    /// The length histogram as a standalone SVG chart: bars of texts per length bin, dashed lines at
    /// the reported max lengths, the recommended one in orange, titled axes and a summary line.
    public func histogramSVG(title: String = "Token lengths") -> String {
        TokenLengthHistogramChart(statistics: self, title: title).svg()
    }
}

/// Draws `TokenLengthStatistics.histogramSVG`; kept apart from the evaluation plots, which draw
/// other things with other needs.
private struct TokenLengthHistogramChart {
    let statistics: TokenLengthStatistics
    let title: String

    let width = 820.0, height = 500.0
    let left = 80.0, right = 30.0, top = 78.0, bottom = 66.0
    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    var histogram: TokenLengthStatistics.Histogram { statistics.histogram }
    /// One extra bar, past a gap, for lengths beyond the last bin.
    var barSlots: Int { histogram.counts.count + (histogram.overflow > 0 ? 2 : 0) }
    var slotWidth: Double { plotWidth / Double(barSlots) }
    var yMax: Int {
        let tallest = Swift.max(histogram.counts.max() ?? 0, histogram.overflow, 1)
        let step = TokenLengthStatistics.roundStep(Double(tallest) / 5)
        return Int((Double(tallest) / Double(step)).rounded(.up)) * step
    }

    func x(tokens: Double) -> Double { left + tokens / Double(histogram.binWidth) * slotWidth }
    func y(_ value: Int) -> Double { top + plotHeight * (1 - Double(value) / Double(yMax)) }

    func svg() -> String {
        var parts = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(format(width))" height="\##(format(height))" viewBox="0 0 \##(format(width)) \##(format(height))" font-family="Helvetica, Arial, sans-serif">"##,
            ##"<rect width="100%" height="100%" fill="white"/>"##,
            text(title, x: width / 2, y: 28, size: 18, anchor: "middle", weight: "bold"),
            text(summary, x: width / 2, y: 50, size: 12.5, anchor: "middle", fill: "#444"),
        ]
        parts += yAxis() + bars() + markers() + xAxis()
        parts.append(##"<line x1="\##(format(left))" y1="\##(format(top + plotHeight))" x2="\##(format(left + plotWidth))" y2="\##(format(top + plotHeight))" stroke="#333"/>"##)
        parts.append(##"<line x1="\##(format(left))" y1="\##(format(top))" x2="\##(format(left))" y2="\##(format(top + plotHeight))" stroke="#333"/>"##)
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    var summary: String {
        let s = statistics
        return "\(s.count) texts · mean \(format(s.mean, digits: 1)) · median \(format(s.median, digits: 0)) · "
            + "p95 \(format(s.p95, digits: 0)) · max \(s.max) · recommended --max-length \(s.recommendedMaxLength) "
            + "(keeps \(format(100 * s.recommendedCoverage, digits: 1))% whole)"
    }

    func yAxis() -> [String] {
        let step = TokenLengthStatistics.roundStep(Double(yMax) / 5)
        var parts: [String] = []
        for value in stride(from: 0, through: yMax, by: step) {
            parts.append(##"<line x1="\##(format(left))" y1="\##(format(y(value)))" x2="\##(format(left + plotWidth))" y2="\##(format(y(value)))" stroke="#e4e4e4"/>"##)
            parts.append(text("\(value)", x: left - 8, y: y(value) + 4, size: 12, anchor: "end"))
        }
        let middle = top + plotHeight / 2
        parts.append(##"<text x="22" y="\##(format(middle))" font-size="13" text-anchor="middle" transform="rotate(-90 22 \##(format(middle)))">Texts</text>"##)
        return parts
    }

    func bars() -> [String] {
        var parts: [String] = []
        for (bin, count) in histogram.counts.enumerated() where count > 0 {
            parts.append(bar(slot: bin, count: count, fill: "#4c78a8",
                             tooltip: "\(bin * histogram.binWidth)–\((bin + 1) * histogram.binWidth - 1) tokens: \(count) texts"))
        }
        if histogram.overflow > 0 {
            let slot = barSlots - 1
            parts.append(bar(slot: slot, count: histogram.overflow, fill: "#9c9c9c",
                             tooltip: "\(histogram.upperBound)+ tokens: \(histogram.overflow) texts"))
            parts.append(text("≥ \(histogram.upperBound)", x: left + (Double(slot) + 0.5) * slotWidth, y: top + plotHeight + 18, size: 12, anchor: "middle"))
        }
        return parts
    }

    func bar(slot: Int, count: Int, fill: String, tooltip: String) -> String {
        let x0 = left + Double(slot) * slotWidth
        return ##"<rect x="\##(format(x0 + 0.5))" y="\##(format(y(count)))" width="\##(format(Swift.max(slotWidth - 1, 0.5)))" height="\##(format(y(0) - y(count)))" fill="\##(fill)"><title>\##(escape(tooltip))</title></rect>"##
    }

    /// Dashed lines at the reported max lengths that fall inside the bins; the recommended one is
    /// drawn even when it is not among them.
    func markers() -> [String] {
        let lengths = Set(TokenLengthStatistics.reportedMaxLengths + [statistics.recommendedMaxLength])
        var parts: [String] = []
        // Each label gets its own row, since neighbouring lines (128 and 256) sit closer than a label is wide.
        for (row, length) in lengths.sorted().filter({ $0 < histogram.upperBound }).enumerated() {
            let recommended = length == statistics.recommendedMaxLength
            let color = recommended ? "#e45756" : "#555"
            let px = x(tokens: Double(length))
            parts.append(##"<line x1="\##(format(px))" y1="\##(format(top))" x2="\##(format(px))" y2="\##(format(top + plotHeight))" stroke="\##(color)" stroke-width="\##(recommended ? 2 : 1.2)" stroke-dasharray="6 4"/>"##)
            let share = statistics.truncation.first { $0.maxLength == length }.map { ", \(format(100 * $0.share, digits: 1))% cut" } ?? ""
            let label = recommended ? "recommended \(length)\(share)" : "\(length)\(share)"
            let anchor = px > left + plotWidth * 0.8 ? "end" : "start"
            parts.append(text(label, x: px + (anchor == "end" ? -5 : 5), y: top + 14 + 16 * Double(row), size: 12, anchor: anchor, fill: color, weight: recommended ? "bold" : "normal"))
        }
        return parts
    }

    func xAxis() -> [String] {
        var parts: [String] = []
        let span = Double(histogram.upperBound)
        let step = TokenLengthStatistics.roundStep(span / 8)
        // With an overflow bar beside it, a tick at the last bin's end would collide with its "≥" label.
        for tick in stride(from: 0, through: histogram.upperBound, by: step) where tick < histogram.upperBound || histogram.overflow == 0 {
            let px = x(tokens: Double(tick))
            parts.append(##"<line x1="\##(format(px))" y1="\##(format(top + plotHeight))" x2="\##(format(px))" y2="\##(format(top + plotHeight + 5))" stroke="#333"/>"##)
            parts.append(text("\(tick)", x: px, y: top + plotHeight + 18, size: 12, anchor: "middle"))
        }
        parts.append(text("Tokens per text, [CLS] and [SEP] included", x: left + plotWidth / 2, y: height - 18, size: 13, anchor: "middle"))
        return parts
    }

    /// A label with a white halo, so it stays legible where it crosses a line or a bar.
    func text(_ content: String, x: Double, y: Double, size: Double, anchor: String, fill: String = "#222", weight: String = "normal") -> String {
        ##"<text x="\##(format(x))" y="\##(format(y))" font-size="\##(format(size))" text-anchor="\##(anchor)" font-weight="\##(weight)" fill="\##(fill)" stroke="white" stroke-width="3" paint-order="stroke">\##(escape(content))</text>"##
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    func format(_ value: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
}
