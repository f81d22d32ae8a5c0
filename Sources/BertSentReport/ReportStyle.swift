import Foundation

/// The report's look: a calm palette shared by the page and its charts, and the page's stylesheet.
enum ReportStyle {
    static let ink = "#1f2933"
    static let muted = "#616e7c"
    static let axis = "#9aa5b1"
    static let grid = "#e9edf1"
    static let band = "#f5f7fa"
    /// Train loss and the primary series.
    static let blue = "#2f6690"
    static let lightBlue = "#9cbcd9"
    /// Validation series and mistakes.
    static let orange = "#d9822b"
    static let green = "#3a8f6a"
    static let purple = "#7a5ea8"
    static let red = "#c0504d"
    /// One colour per series or class, in order.
    static let series = [blue, orange, green, purple, red, "#4f9da6", "#a2785c", "#8a8f98"]
    /// Heat map colours from an empty to a full cell.
    static let heatLow = (r: 247.0, g: 250.0, b: 253.0)
    static let heatHigh = (r: 47.0, g: 102.0, b: 144.0)

    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

    /// The heat map colour for `fraction` (0…1) of a row.
    static func heat(_ fraction: Double) -> String {
        let t = min(max(fraction, 0), 1)
        func channel(_ low: Double, _ high: Double) -> Int { Int((low + (high - low) * t).rounded()) }
        return String(
            format: "#%02x%02x%02x", channel(heatLow.r, heatHigh.r), channel(heatLow.g, heatHigh.g),
            channel(heatLow.b, heatHigh.b))
    }

    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f3f5f8; color: \(ink); font-family: \(fontFamily); font-size: 15px; line-height: 1.5; }
        main { max-width: 1180px; margin: 0 auto; padding: 32px 24px 48px; }
        header h1 { font-size: 26px; font-weight: 650; margin: 0 0 4px; }
        header p { margin: 0; color: \(muted); }
        h2 { font-size: 19px; font-weight: 620; margin: 36px 0 12px; }
        h3 { font-size: 15px; font-weight: 620; margin: 0 0 2px; }
        h3.spaced { margin-top: 28px; }
        .cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; margin-top: 24px; }
        .card { background: #fff; border-radius: 10px; padding: 16px 20px; box-shadow: 0 1px 2px rgba(31,41,51,.08); }
        .card .label { color: \(muted); font-size: 13px; text-transform: uppercase; letter-spacing: .04em; }
        .card .value { font-size: 30px; font-weight: 650; font-variant-numeric: tabular-nums; }
        .card .detail { color: \(muted); font-size: 13px; }
        .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
        figure, .panel { background: #fff; border-radius: 10px; padding: 16px 18px; margin: 0 0 16px;
                         box-shadow: 0 1px 2px rgba(31,41,51,.08); }
        .grid figure, .grid .panel { margin: 0; }
        figcaption, .caption { color: \(muted); font-size: 13px; margin-bottom: 6px; }
        svg.chart { display: block; width: 100%; height: auto; }
        .note { background: #fff; border-left: 4px solid \(axis); border-radius: 6px; padding: 12px 16px; color: \(muted); margin: 0 0 16px; }
        table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
        th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid \(grid); vertical-align: top; }
        th { color: \(muted); font-weight: 600; font-size: 13px; }
        td.number, th.number { text-align: right; white-space: nowrap; }
        td.text { max-width: 640px; overflow-wrap: anywhere; }
        .badge { display: inline-block; padding: 0 8px; border-radius: 9px; font-size: 13px; background: #eef2f6; overflow-wrap: anywhere; }
        .badge.wrong { background: #fbeee2; color: #8a4b12; }
        footer { color: \(muted); font-size: 13px; margin-top: 32px; }
        """
}
