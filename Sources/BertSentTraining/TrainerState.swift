import BertSentCore
import BertSentFormats
import Foundation

/// Where a run is and everything needed to continue it exactly: saved as `trainer_state.json` in
/// every checkpoint (keys in snake_case, as transformers' file of that name).
public struct TrainerState: Sendable, Equatable, Codable {
    /// Optimizer updates taken so far.
    public var globalStep = 0
    /// Updates the run takes: `max_steps`, else updates per epoch × epochs.
    public var totalSteps: Int
    /// Optimizer updates in one pass over the training texts.
    public var updatesPerEpoch: Int
    /// Passes over the training texts finished.
    public var epochsCompleted = 0
    /// Updates already taken in the current epoch.
    public var stepInEpoch = 0
    /// Seed of the current epoch's shuffle, so a resumed run sees the same order.
    public var epochSeed: UInt64 = 0
    /// Draws each epoch's shuffle seed.
    public var orderGenerator: [UInt64]
    /// The processes the run's global batches are shared among (`mpirun -np N`); a resume needs as many.
    public var ranks = 1
    /// The best value of `metric_for_best_model` so far; nil before the first evaluation.
    public var bestMetric: Double?
    /// The update at which `bestMetric` was reached.
    public var bestStep: Int?
    /// Evaluations in a row that did not beat `bestMetric` by the threshold, for early stopping.
    public var evaluationsWithoutImprovement = 0
    /// Identifies the training texts and labels, so a resume on other data is refused.
    public var dataFingerprint: String
    /// The class names, by label index.
    public var classes: [String]
    /// Every log entry so far, from which a resumed run rewrites `log.jsonl`.
    public var logHistory: [TrainingLogEntry] = []
    /// The run's settings.
    public var arguments: TrainingArguments
    /// The teacher and settings of a distillation run; nil for fine-tuning.
    public var distillation: DistillationRecord?
    /// The other files of the checkpoint folder this state was saved in, by name, as written; nil in
    /// checkpoints written before bertsent recorded them, and in a running trainer's state.
    public var checkpointFiles: [String: CheckpointFile]?

    /// Fractional epochs done: updates taken / updates per epoch.
    public var epoch: Double { Double(globalStep) / Double(max(1, updatesPerEpoch)) }

    enum CodingKeys: String, CodingKey {
        case globalStep = "global_step"
        case totalSteps = "total_steps"
        case updatesPerEpoch = "updates_per_epoch"
        case epochsCompleted = "epochs_completed"
        case stepInEpoch = "step_in_epoch"
        case epochSeed = "epoch_seed"
        case orderGenerator = "order_generator"
        case ranks
        case bestMetric = "best_metric"
        case bestStep = "best_step"
        case evaluationsWithoutImprovement = "evaluations_without_improvement"
        case dataFingerprint = "data_fingerprint"
        case classes
        case logHistory = "log_history"
        case arguments
        case distillation
        case checkpointFiles = "checkpoint_files"
    }

    static let fileName = "trainer_state.json"

    func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let url = directory.appendingPathComponent(Self.fileName)
        do { try encoder.encode(self).write(to: url, options: .atomic) } catch {
            throw FileError.unwritable(path: url.path, what: "the trainer state", reason: FileError.reason(error))
        }
    }

    /// Reads `trainer_state.json` from a checkpoint folder; also as bertsent 0.2 wrote it.
    public static func read(from directory: URL) throws -> TrainerState {
        let url = directory.appendingPathComponent(fileName)
        guard let data = try? Data(contentsOf: url) else { throw TrainingError.notACheckpoint(path: url.path) }
        do {
            return try JSONDecoder().decode(TrainerState.self, from: upgraded(data))
        } catch {
            throw TrainingError.malformedState(path: url.path, reason: "\(error)")
        }
    }

    /// State as older versions wrote it, in today's form: a run of one process before `ranks` was recorded;
    /// bertsent 0.2 nested the optimizer's settings
    /// under `arguments.optimization`, naming the schedule's two `schedule` and `schedule_steps` (the
    /// settings table holds them all at one level); and a setting the run's version did not have takes
    /// the value that does what that version did (`TrainingArguments.asRunBeforeNewerSettings`), not
    /// today's default, so the run resumes as it ran.
    private static func upgraded(_ data: Data) -> Data {
        guard var state = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            var arguments = state["arguments"] as? [String: Any]
        else { return data }
        if let optimization = arguments.removeValue(forKey: "optimization") as? [String: Any] {
            let renamed = ["schedule": "lr_scheduler", "schedule_steps": "lr_schedule_steps"]
            for (key, value) in optimization { arguments[renamed[key] ?? key] = value }
        }
        if let encoded = try? JSONEncoder().encode(TrainingArguments.asRunBeforeNewerSettings),
            let before = (try? JSONSerialization.jsonObject(with: encoded)) as? [String: Any]
        {
            for (key, value) in before where arguments[key] == nil { arguments[key] = value }
        }
        state["arguments"] = arguments
        // Before runs could span ranks, every run was one process.
        if state["ranks"] == nil { state["ranks"] = 1 }
        return (try? JSONSerialization.data(withJSONObject: state)) ?? data
    }

    /// A digest of texts and labels (FNV-1a over their UTF-8), cheap enough for 50,000 reviews.
    static func fingerprint(texts: [String], labels: [Int]) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for (text, label) in zip(texts, labels) {
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            hash = (hash ^ UInt64(label &+ 0x1F)) &* 0x100_0000_01B3
        }
        return "\(texts.count):" + String(hash, radix: 16)
    }
}
