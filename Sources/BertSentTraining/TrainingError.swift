import BertSentCore

/// A run that cannot start, continue or be read back.
public enum TrainingError: BertSentError, Equatable {
    /// The token limit is outside 2 … the model's `max_position_embeddings`.
    case maxLengthOutOfRange(Int, modelLimit: Int)
    /// A batch must hold at least one text.
    case invalidBatchSize(Int)
    /// A run needs at least one optimizer update.
    case noUpdates(Int)
    /// Training needs texts, with one label each.
    case noTrainingTexts(texts: Int, labels: Int)
    /// A step was given no labelled text.
    case emptyStep
    /// A label index outside the model's classes.
    case labelOutOfRange(Int, classes: Int)
    /// A batch whose text and label counts differ.
    case labelCountMismatch(texts: Int, labels: Int)
    /// The loss or the gradient norm stopped being finite at `step`; the parameters are those after
    /// the step before.
    case nonFinite(step: Int, quantity: String, value: String)
    /// Evaluation was asked for without a validation set.
    case noValidationSet(strategy: String)
    /// Resuming on data other than the run's.
    case dataMismatch(checkpoint: String)
    /// The checkpoint's model and its trainer state disagree on the classes.
    case classesMismatch(checkpoint: String, model: [String], state: [String])
    /// The checkpoint's optimizer state and trainer state are at different steps.
    case stepMismatch(checkpoint: String, optimizer: Int, state: Int)
    /// The optimizer state's metadata lacks a valid step.
    case invalidOptimizerState(path: String)
    /// A folder without `trainer_state.json`.
    case notACheckpoint(path: String)
    /// A checkpoint file that is missing, or whose size or digest differs from what its
    /// `trainer_state.json` recorded: the write was cut short or the file changed since.
    case corruptCheckpoint(path: String, file: String, reason: String)
    /// A run folder given to resume from that holds no intact `checkpoint-STEP` folder; `refused` says why
    /// each one there was refused.
    case noValidCheckpoint(path: String, refused: [String])
    /// Training stopped at a step boundary when the process was asked to (`signal`, e.g. SIGTERM), after
    /// saving `checkpoint`, from which `--resume` continues.
    case interrupted(signal: Int32, step: Int, checkpoint: String)
    /// The run would need about `estimate` bytes of memory (`TrainingMemoryEstimate`), more than the
    /// `limit` of `source` (the cgroup's or the machine's): refused before training starts.
    case exceedsMemory(estimate: Int64, limit: Int64, source: String, batch: Int, length: Int)
    /// A `trainer_state.json` that does not decode.
    case malformedState(path: String, reason: String)
    /// A line of a training log that is not a log entry.
    case malformedLog(path: String, line: Int, reason: String)
    /// A teacher folder whose classification head (or pooler) is not in its checkpoint.
    case teacherWithoutHead(folder: String, missing: [String])
    /// A student whose vocabulary differs from its teacher's: they would read different tokens.
    case vocabularyDiffersFromTeacher(student: String, teacher: String, detail: String)
    /// A student whose classes differ from its teacher's.
    case classesDifferFromTeacher(student: String, classes: [String], teacher: String, teacherClasses: [String])
    /// The teacher a run was distilled from has changed (its weights' digest) or moved since.
    case teacherChanged(folder: String, expected: String, found: String)
    /// A setting distillation cannot use, such as class weights.
    case unsupportedInDistillation(setting: String, reason: String)
    /// The run in `checkpoint` was shared among `saved` ranks and is resumed with `now`.
    case ranksChanged(checkpoint: String, saved: Int, now: Int)
    /// Rank `rank` was started with other training data or settings than rank 0: `differences` names them.
    case ranksDisagree(rank: Int, differences: [String])

    public var category: ErrorCategory {
        switch self {
        case .notACheckpoint, .noValidCheckpoint: .fileUnavailable
        case .interrupted: .interrupted
        case .exceedsMemory: .outOfMemory
        default: .invalidInput
        }
    }

    public var description: String {
        switch self {
        case .maxLengthOutOfRange(let length, let limit):
            "max length \(length) must be between 2 and the model's max_position_embeddings \(limit)"
        case .invalidBatchSize(let size): "batch size must be at least 1, got \(size)"
        case .noUpdates(let count): "a run needs at least one optimizer step, got \(count)"
        case .noTrainingTexts(let texts, let labels):
            "training needs texts with one label each (got \(texts) texts, \(labels) labels)"
        case .emptyStep: "a training step needs at least one labelled text"
        case .labelOutOfRange(let label, let classes): "label index \(label) is outside the model's \(classes) classes"
        case .labelCountMismatch(let texts, let labels): "a batch of \(texts) texts has \(labels) labels"
        case .nonFinite(let step, let quantity, let value):
            "step \(step): the \(quantity) became \(value); training stopped and the parameters are kept as they were after step \(step - 1) (try a lower learning rate)"
        case .noValidationSet(let strategy): "evaluation (strategy '\(strategy)') needs a validation set"
        case .dataMismatch(let checkpoint):
            "\(checkpoint): the training data differs from the run being resumed (same file, columns, split and seed are needed)"
        case .classesMismatch(let checkpoint, let model, let state):
            "\(checkpoint): the checkpoint's classes \(model) differ from its trainer state's \(state)"
        case .stepMismatch(let checkpoint, let optimizer, let state):
            "\(checkpoint): optimizer state is at step \(optimizer) but the trainer state at \(state)"
        case .invalidOptimizerState(let path): "\(path): optimizer state without a valid 'step' in its metadata"
        case .notACheckpoint(let path): "\(path): no trainer state: not a bertsent checkpoint folder"
        case .malformedState(let path, let reason): "\(path): malformed trainer state (\(reason))"
        case .corruptCheckpoint(let path, let file, let reason):
            "\(path): \(file) is damaged (\(reason)); resume from an earlier checkpoint, or give the run folder to take the newest intact one"
        case .noValidCheckpoint(let path, let refused):
            refused.isEmpty
                ? "\(path): no checkpoint-STEP folder to resume from"
                : "\(path): no intact checkpoint to resume from: " + refused.joined(separator: "; ")
        case .exceedsMemory(let estimate, let limit, let source, let batch, let length):
            "training batches of \(batch) texts × \(length) tokens would need about \(gigabytes(estimate)) of memory, more than the \(gigabytes(limit)) limit (\(source)); use a smaller batch (gradient accumulation keeps the effective batch) or a shorter max length"
        case .interrupted(let signal, let step, let checkpoint):
            "stopped by \(TrainingStopRequest.name(of: signal)) after step \(step); saved \(checkpoint)"
        case .malformedLog(let path, let line, let reason):
            "\(path): line \(line): not a training log entry (\(reason))"
        case .teacherWithoutHead(let folder, let missing):
            "\(folder): not a fine-tuned classifier, so it cannot teach: its checkpoint lacks \(missing.joined(separator: ", "))"
        case .vocabularyDiffersFromTeacher(let student, let teacher, let detail):
            "\(student): the student's vocabulary differs from the teacher's in \(teacher) (\(detail)); a student must read the teacher's tokens"
        case .classesDifferFromTeacher(let student, let classes, let teacher, let teacherClasses):
            "\(student): the student's classes \(classes) differ from the teacher's \(teacherClasses) in \(teacher)"
        case .teacherChanged(let folder, let expected, let found):
            "\(folder): the teacher's weights changed since the run began (sha256 \(expected.prefix(12))…, now \(found.prefix(12))…)"
        case .unsupportedInDistillation(let setting, let reason): "\(setting) cannot be used when distilling: \(reason)"
        case .ranksChanged(let checkpoint, let saved, let now):
            "\(checkpoint): the run was shared among \(saved) ranks; resume it with mpirun -np \(saved), not \(now)"
        case .ranksDisagree(let rank, let differences):
            "rank \(rank) was started with other data or settings than rank 0: \(differences.joined(separator: "; ")); every rank must get the same command and files"
        }
    }
}

private func gigabytes(_ bytes: Int64) -> String { String(format: "%.2f GB", Double(bytes) / 1e9) }
