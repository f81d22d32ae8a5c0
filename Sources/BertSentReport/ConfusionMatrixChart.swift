import BertSentInference
import Foundation

/// The confusion matrix as a heat map: rows are true classes, columns predictions; each cell shows its
/// count and its share of the row (the recall of the diagonal), and is shaded by that share.
enum ConfusionMatrixChart {
    static let title = "Confusion matrix"

    static func svg(_ metrics: ClassificationMetrics) -> String {
        let k = metrics.classes.count
        let width = 540.0
        let names = metrics.classes.map { $0.isEmpty ? "(unnamed)" : $0 }
        let labelWidth = min(names.map { SVGPlot.textWidth($0, size: 12) }.max() ?? 0, 130)
        let side = min(380, width - 70 - labelWidth)
        // Centre the matrix with its labels in the canvas.
        let left = 46 + labelWidth + max(0, (width - 70 - labelWidth - side) / 2)
        let cell = side / Double(k)
        var plot = SVGPlot(
            id: "confusion", width: width, height: side + 84,
            margins: .init(top: 16, right: width - left - side, bottom: 68, left: left),
            (0, Double(k)), (0, Double(k)), yDownward: true)

        let countSize = min(20, max(10, cell / 5))
        for (row, counts) in metrics.confusion.enumerated() {
            let total = counts.reduce(0, +)
            for (column, count) in counts.enumerated() {
                let share = total == 0 ? 0 : Double(count) / Double(total)
                let tooltip = "true \(names[row]), predicted \(names[column]): \(count) of \(total)"
                plot.box(
                    x0: Double(column), x1: Double(column + 1), y0: Double(row), y1: Double(row + 1),
                    color: ReportStyle.heat(share), tooltip: tooltip)
                let cx = plot.x.position(Double(column) + 0.5), cy = plot.y.position(Double(row) + 0.5)
                let color = share > 0.5 ? "white" : ReportStyle.ink
                plot.text(
                    "\(count)", x: cx, y: cy + (cell >= 60 ? 0 : countSize / 3), anchor: "middle", size: countSize,
                    color: color, bold: true)
                if cell >= 60 {
                    plot.text(
                        String(format: "%.1f%%", share * 100), x: cx, y: cy + 18, anchor: "middle", size: 12,
                        color: color)
                }
            }
        }
        let maxChars = max(4, Int(cell / (12 * 0.56)) - 1)
        let columnTicks = names.enumerated().map { (Double($0) + 0.5, ReportHTML.excerpt($1, limit: maxChars)) }
        let rowTicks = names.enumerated().map { (Double($0) + 0.5, ReportHTML.excerpt($1, limit: 22)) }
        plot.axes(xTicks: columnTicks, yTicks: rowTicks, xTitle: "predicted class", yTitle: "true class")
        return plot.svg(title: title)
    }
}
