import Foundation

/// A training run's folder — `log.jsonl`, `train.csv` and `validation.csv`, `checkpoint-STEP/`,
/// `best/` — and how to find the run a model folder was saved by.
public struct RunDirectory: Sendable {
    /// The run's folder.
    public let url: URL
    /// The saved state of the checkpoint the run was found from.
    public let state: TrainerState

    /// The run that saved `model`, when it is one of a run's checkpoints (its `best/` or a
    /// `checkpoint-STEP/` folder, which hold `trainer_state.json`); nil for any other model folder.
    public init?(savedModel model: URL) {
        guard let state = try? TrainerState.read(from: model) else { return nil }
        url = model.deletingLastPathComponent()
        self.state = state
    }

    /// The run's JSON-lines log, if it has one.
    public var log: URL? {
        let log = url.appendingPathComponent(TrainingLogEntry.fileName)
        return FileManager.default.fileExists(atPath: log.path) ? log : nil
    }

    /// Where reports on the run's models go.
    public var reportDirectory: URL { url.appendingPathComponent("report") }
}
