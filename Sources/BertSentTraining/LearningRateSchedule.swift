import Foundation

/// Learning-rate schedules with linear warmup, as transformers' `get_*_schedule_with_warmup`.
/// `step` counts optimizer updates already taken, so the first update uses factor(0) (0 with warmup).
public struct LearningRateSchedule: Sendable, Equatable, Codable {
    /// The rate after warmup: constant, falling linearly to 0, or along half a cosine to 0.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case constant, linear, cosine
    }

    /// The decay after warmup.
    public var kind: Kind
    /// The rate at the end of warmup.
    public var peak: Double
    /// Updates over which the rate rises linearly from 0 to `peak`.
    public var warmupSteps: Int
    /// Updates the schedule spans; a decaying rate reaches 0 at the last.
    public var totalSteps: Int

    /// A schedule of `kind` rising to `peak` over the warmup.
    /// - Parameters:
    ///   - kind: how the rate decays after the warmup.
    ///   - peak: the rate at the end of the warmup.
    ///   - totalSteps: updates the schedule spans.
    ///   - warmupSteps: used when > 0; otherwise `warmupRatio` · totalSteps, rounded up (HF's rule).
    ///   - warmupRatio: the warmup as a share of `totalSteps`, when `warmupSteps` is 0.
    public init(kind: Kind, peak: Double, totalSteps: Int, warmupSteps: Int = 0, warmupRatio: Double = 0) {
        self.kind = kind
        self.peak = peak
        self.totalSteps = totalSteps
        self.warmupSteps = warmupSteps > 0 ? warmupSteps : Int((Double(totalSteps) * warmupRatio).rounded(.up))
    }

    /// The multiplier of the peak rate for update number `step` (0-based).
    public func factor(step: Int) -> Double {
        if step < warmupSteps { return Double(step) / Double(max(1, warmupSteps)) }
        let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
        switch kind {
        case .constant: return 1
        case .linear: return max(0, Double(totalSteps - step) / Double(max(1, totalSteps - warmupSteps)))
        case .cosine: return max(0, 0.5 * (1 + cos(Double.pi * 0.5 * 2 * progress)))  // num_cycles 0.5
        }
    }

    /// The learning rate for update number `step` (0-based).
    public func rate(step: Int) -> Double { peak * factor(step: step) }
}
