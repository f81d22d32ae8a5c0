import Foundation

/// One chart as inline SVG: a canvas with a plot rectangle inside margins, x and y scales from data to
/// pixels, and the drawing primitives the report's charts are made of (grid, axes, lines, markers,
/// bars, shaded bands, legend), drawn in call order. Lines drawn past the plot rectangle are clipped
/// to it, with 2 px to spare so a curve along an edge (a perfect ROC curve) stays visible.
struct SVGPlot {
    struct Margins {
        var top: Double, right: Double, bottom: Double, left: Double
    }

    /// A legend entry: the symbol drawn before the label.
    struct LegendItem {
        enum Symbol { case line, dashedLine, marker, box }
        var label: String
        var color: String
        var symbol: Symbol
    }

    /// Unique on the page: it names the clip path.
    let id: String
    let width: Double
    let height: Double
    let margins: Margins
    let x: PlotScale
    let y: PlotScale
    private var layers: [String] = []

    var left: Double { margins.left }
    var right: Double { width - margins.right }
    var top: Double { margins.top }
    var bottom: Double { height - margins.bottom }

    /// A canvas whose x scale spans `xDomain` left to right and whose y scale spans `yDomain` bottom
    /// to top, or top to bottom with `yDownward` (rows of a matrix).
    init(
        id: String, width: Double, height: Double, margins: Margins,
        x xKind: PlotScale.Kind = .linear, _ xDomain: (Double, Double),
        y yKind: PlotScale.Kind = .linear, _ yDomain: (Double, Double), yDownward: Bool = false
    ) {
        self.id = id
        self.width = width
        self.height = height
        self.margins = margins
        x = PlotScale(xKind, lower: xDomain.0, upper: xDomain.1, pixels: margins.left, width - margins.right)
        let (yStart, yEnd) = yDownward ? (margins.top, height - margins.bottom) : (height - margins.bottom, margins.top)
        y = PlotScale(yKind, lower: yDomain.0, upper: yDomain.1, pixels: yStart, yEnd)
    }

    /// Light horizontal lines at the y ticks (and vertical ones at the x ticks), behind the data.
    mutating func grid(yTicks: [(value: Double, label: String)], xTicks: [(value: Double, label: String)] = []) {
        let horizontal = yTicks.map { "M\(n(left)) \(n(y.position($0.value)))H\(n(right))" }
        let vertical = xTicks.map { "M\(n(x.position($0.value))) \(n(top))V\(n(bottom))" }
        layers.append(
            #"<path d="\#((horizontal + vertical).joined())" stroke="\#(ReportStyle.grid)" stroke-width="1" fill="none"/>"#
        )
    }

    /// The left and bottom axis lines with tick marks, tick labels and the axis titles.
    mutating func axes(
        xTicks: [(value: Double, label: String)], yTicks: [(value: Double, label: String)],
        xTitle: String, yTitle: String
    ) {
        var parts = [
            #"<path d="M\#(n(left)) \#(n(top))V\#(n(bottom))H\#(n(right))" stroke="\#(ReportStyle.axis)" stroke-width="1" fill="none"/>"#
        ]
        for tick in xTicks {
            let px = x.position(tick.value)
            parts.append(#"<path d="M\#(n(px)) \#(n(bottom))v5" stroke="\#(ReportStyle.axis)"/>"#)
            parts.append(label(tick.label, x: px, y: bottom + 18, anchor: "middle", size: 12, color: ReportStyle.muted))
        }
        for tick in yTicks {
            let py = y.position(tick.value)
            parts.append(#"<path d="M\#(n(left - 5)) \#(n(py))h5" stroke="\#(ReportStyle.axis)"/>"#)
            parts.append(label(tick.label, x: left - 8, y: py + 4, anchor: "end", size: 12, color: ReportStyle.muted))
        }
        parts.append(
            label(xTitle, x: (left + right) / 2, y: bottom + 40, anchor: "middle", size: 13, color: ReportStyle.ink))
        // The y title sits just outside the widest tick label.
        let tickWidth = yTicks.map { Self.textWidth($0.label, size: 12) }.max() ?? 0
        let titleX = max(16, left - 8 - tickWidth - 14)
        let middle = (top + bottom) / 2
        parts.append(
            #"<text transform="translate(\#(n(titleX)) \#(n(middle))) rotate(-90)" text-anchor="middle" font-size="13" fill="\#(ReportStyle.ink)">\#(ReportHTML.escape(yTitle))</text>"#
        )
        layers.append(parts.joined(separator: "\n"))
    }

    /// A polyline through data points, clipped to the plot rectangle.
    mutating func line(
        _ points: [(x: Double, y: Double)], color: String, width: Double = 1.5,
        opacity: Double = 1, dashed: Bool = false
    ) {
        guard points.count > 1 else { return }
        let path = points.enumerated().map { ($0 == 0 ? "M" : "L") + "\(n(x.position($1.x))) \(n(y.position($1.y)))" }
            .joined()
        let dash = dashed ? #" stroke-dasharray="5 4""# : ""
        layers.append(
            #"<path d="\#(path)" fill="none" stroke="\#(color)" stroke-width="\#(n(width))" stroke-opacity="\#(n(opacity, 2))" stroke-linejoin="round"\#(dash) clip-path="url(#\#(id)-clip)"/>"#
        )
    }

    /// The region between a polyline and the bottom of the plot, filled.
    mutating func area(_ points: [(x: Double, y: Double)], color: String, opacity: Double) {
        guard let first = points.first, let last = points.last else { return }
        let path = points.map { "L\(n(x.position($0.x))) \(n(y.position($0.y)))" }.joined()
        layers.append(
            #"<path d="M\#(n(x.position(first.x))) \#(n(bottom))\#(path)L\#(n(x.position(last.x))) \#(n(bottom))Z" fill="\#(color)" fill-opacity="\#(n(opacity, 2))" stroke="none" clip-path="url(#\#(id)-clip)"/>"#
        )
    }

    /// Circles at data points; `tooltips` (one per point) show on hover.
    mutating func markers(
        _ points: [(x: Double, y: Double)], color: String, radius: Double = 4, tooltips: [String] = []
    ) {
        let circles = points.enumerated().map { index, point in
            let tip = index < tooltips.count ? "<title>\(ReportHTML.escape(tooltips[index]))</title>" : ""
            return
                #"<circle cx="\#(n(x.position(point.x)))" cy="\#(n(y.position(point.y)))" r="\#(n(radius))" fill="\#(color)" stroke="white" stroke-width="1.5">\#(tip)</circle>"#
        }
        layers.append(circles.joined(separator: "\n"))
    }

    /// A rectangle between data coordinates (x0, y0) and (x1, y1), with an optional hover text.
    mutating func box(
        x0: Double, x1: Double, y0: Double, y1: Double, color: String, opacity: Double = 1,
        tooltip: String? = nil
    ) {
        let (px0, px1) = (x.position(x0), x.position(x1))
        let (py0, py1) = (y.position(y0), y.position(y1))
        let tip = tooltip.map { "<title>\(ReportHTML.escape($0))</title>" } ?? ""
        layers.append(
            #"<rect x="\#(n(min(px0, px1)))" y="\#(n(min(py0, py1)))" width="\#(n(abs(px1 - px0)))" height="\#(n(abs(py1 - py0)))" fill="\#(color)" fill-opacity="\#(n(opacity, 2))">\#(tip)</rect>"#
        )
    }

    /// A dashed vertical line across the plot at data value `at`.
    mutating func verticalRule(at value: Double, color: String) {
        let px = n(x.position(value))
        layers.append(
            #"<path d="M\#(px) \#(n(top))V\#(n(bottom))" stroke="\#(color)" stroke-width="1" stroke-dasharray="3 3"/>"#)
    }

    /// Text at pixel coordinates (escaped here).
    mutating func text(
        _ string: String, x px: Double, y py: Double, anchor: String = "start", size: Double = 12,
        color: String = ReportStyle.ink, bold: Bool = false
    ) {
        layers.append(label(string, x: px, y: py, anchor: anchor, size: size, color: color, bold: bold))
    }

    /// Legend entries in rows above the plot, left-aligned with it, so they never cover data. The
    /// last row sits 26 px above the plot; each further row needs 18 px more top margin
    /// (`legendRows`).
    mutating func legend(_ items: [LegendItem]) {
        let rows = Self.legendLayout(items, from: left, to: right)
        var parts: [String] = []
        for (rowIndex, row) in rows.enumerated() {
            let baseline = top - 26 - 18 * Double(rows.count - 1 - rowIndex)
            for (item, cursor) in row {
                switch item.symbol {
                case .line, .dashedLine:
                    let dash = item.symbol == .dashedLine ? #" stroke-dasharray="5 4""# : ""
                    parts.append(
                        #"<path d="M\#(n(cursor)) \#(n(baseline - 4))h22" stroke="\#(item.color)" stroke-width="2.5"\#(dash)/>"#
                    )
                case .marker:
                    parts.append(
                        #"<circle cx="\#(n(cursor + 11))" cy="\#(n(baseline - 4))" r="4.5" fill="\#(item.color)"/>"#)
                case .box:
                    parts.append(
                        #"<rect x="\#(n(cursor + 3))" y="\#(n(baseline - 11))" width="14" height="14" rx="2" fill="\#(item.color)"/>"#
                    )
                }
                parts.append(
                    label(item.label, x: cursor + 28, y: baseline, anchor: "start", size: 12, color: ReportStyle.ink))
            }
        }
        layers.append(parts.joined(separator: "\n"))
    }

    /// How many rows `legend` needs for `items` between pixel `from` and `to`.
    static func legendRows(_ items: [LegendItem], from: Double, to: Double) -> Int {
        legendLayout(items, from: from, to: to).count
    }

    /// Items placed left to right, wrapping to a new row when the next would pass `to`.
    private static func legendLayout(_ items: [LegendItem], from: Double, to: Double) -> [[(LegendItem, Double)]] {
        var rows: [[(LegendItem, Double)]] = [[]]
        var cursor = from
        for item in items {
            let itemWidth = 28 + textWidth(item.label, size: 12)
            if cursor > from, cursor + itemWidth > to {
                rows.append([])
                cursor = from
            }
            rows[rows.count - 1].append((item, cursor))
            cursor += itemWidth + 22
        }
        return rows
    }

    /// The finished `<svg>` element; `title` is its accessible name. A `standalone` chart (a file of
    /// its own rather than part of the report) gets its size in pixels and a white background.
    func svg(title: String, standalone: Bool = false) -> String {
        let size = standalone ? #" width="\#(n(width))" height="\#(n(height))""# : ""
        let background = standalone ? #"<rect width="100%" height="100%" fill="white"/>"# + "\n" : ""
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(n(width)) \(n(height))"\(size) role="img" \
            font-family="\(ReportStyle.fontFamily)" font-size="12">
            <title>\(ReportHTML.escape(title))</title>
            \(background)<defs><clipPath id="\(id)-clip"><rect x="\(n(left - 2))" y="\(n(top - 2))" width="\(n(right - left + 4))" height="\(n(bottom - top + 4))"/></clipPath></defs>
            \(layers.joined(separator: "\n"))
            </svg>
            """
    }

    /// Roughly how wide `text` renders in the report's sans-serif font, for laying out labels.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.56
    }

    private func label(
        _ string: String, x px: Double, y py: Double, anchor: String, size: Double, color: String,
        bold: Bool = false
    ) -> String {
        let weight = bold ? #" font-weight="600""# : ""
        return
            #"<text x="\#(n(px))" y="\#(n(py))" text-anchor="\#(anchor)" font-size="\#(n(size))" fill="\#(color)"\#(weight)>\#(ReportHTML.escape(string))</text>"#
    }

    /// A coordinate with at most `decimals` decimals and no trailing zeros, to keep the SVG small.
    private func n(_ value: Double, _ decimals: Int = 1) -> String {
        var text = String(format: "%.\(decimals)f", value.isFinite ? value : 0)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
