import Foundation

/// What the trainer reports after each update and each evaluation.
public struct TrainingEvent: Sendable {
    /// The log entry of the update or evaluation.
    public var entry: TrainingLogEntry
    /// Updates the whole run takes, for progress.
    public var totalSteps: Int
    /// Seconds since this `train` call started.
    public var elapsed: Double
    /// Updates taken in this `train` call (excludes those before a resume), for the ETA.
    public var stepsThisRun: Int
    /// The checkpoint written after this evaluation, if any, and whether it is the best so far.
    public var checkpoint: URL?
    /// Whether that checkpoint is the best so far, also saved as `best/`.
    public var isBest = false
}
