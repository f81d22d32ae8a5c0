import Foundation

/// Maps data values on one axis to SVG pixels, linearly or logarithmically, and chooses round tick
/// values with labels for it.
struct PlotScale {
    enum Kind { case linear, logarithmic }

    let kind: Kind
    let lower: Double
    let upper: Double
    /// Pixel positions of `lower` and `upper`; for a y axis `start` is the bottom (the larger number).
    let start: Double
    let end: Double

    /// A scale over `lower...upper`; an empty or inverted span is widened so positions stay finite.
    init(_ kind: Kind, lower: Double, upper: Double, pixels start: Double, _ end: Double) {
        self.kind = kind
        let (low, high) =
            kind == .logarithmic
            ? (max(lower, .leastNormalMagnitude), max(upper, .leastNormalMagnitude)) : (lower, upper)
        if high > low {
            (self.lower, self.upper) = (low, high)
        } else if kind == .logarithmic {
            (self.lower, self.upper) = (low / 2, low * 2)
        } else {
            (self.lower, self.upper) = (low - max(abs(low) * 0.1, 0.5), low + max(abs(low) * 0.1, 0.5))
        }
        self.start = start
        self.end = end
    }

    /// The pixel position of `value` (values outside the domain map outside the pixel span).
    func position(_ value: Double) -> Double {
        let fraction: Double
        switch kind {
        case .linear: fraction = (value - lower) / (upper - lower)
        case .logarithmic: fraction = (log10(max(value, lower / 1e6)) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return start + fraction * (end - start)
    }

    /// Round values inside the domain to put ticks at, with their labels: steps of 1, 2, 2.5 or
    /// 5 × 10ⁿ (about `target` of them) on a linear scale; powers of ten, with 2× and 5× between them
    /// when the span is short, on a log scale.
    func ticks(target: Int = 6) -> [(value: Double, label: String)] {
        switch kind {
        case .linear:
            let step = Self.niceStep((upper - lower) / Double(max(target - 1, 1)))
            let first = (lower / step).rounded(.up)
            let last = (upper / step).rounded(.down)
            guard first <= last else { return [] }
            // Enough decimals to tell neighbouring ticks apart: one more for a 2.5 × 10ⁿ step.
            let power = log10(step).rounded(.down)
            let decimals = max(0, Int(-power) + (abs(step / pow(10, power) - 2.5) < 1e-9 ? 1 : 0))
            return stride(from: first, through: last, by: 1).map {
                let value = $0 * step
                return (value, String(format: "%.\(decimals)f", value == 0 ? 0 : value))
            }
        case .logarithmic:
            let decades = Int(log10(lower).rounded(.down))...Int(log10(upper).rounded(.up))
            let multiples: [Double] = log10(upper / lower) <= 2.5 ? [1, 2, 5] : [1]
            let candidates: [Double] = decades.flatMap { d in multiples.map { $0 * pow(10, Double(d)) } }
            let (low, high) = (lower * (1 - 1e-9), upper * (1 + 1e-9))
            return candidates.filter { $0 >= low && $0 <= high }.map { ($0, String(format: "%g", $0)) }
        }
    }

    /// The domain widened to round numbers, for an axis that should start and end on a tick.
    static func rounded(lower: Double, upper: Double, target: Int = 6) -> (lower: Double, upper: Double) {
        guard upper > lower else { return (lower, upper) }
        let step = niceStep((upper - lower) / Double(max(target - 1, 1)))
        return ((lower / step).rounded(.down) * step, (upper / step).rounded(.up) * step)
    }

    /// The smallest of 1, 2, 2.5, 5 × 10ⁿ that is at least `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        let fraction = rough / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }
}
