import BertSentCore
import BertSentData
import BertSentInference
import BertSentModel
import BertSentText
import Foundation

/// The fine-tuning loop: epochs of shuffled, dynamically padded batches; evaluation by epoch or every
/// N steps; a checkpoint after each evaluation (`checkpoint-STEP/`, rotated, never the best) and the
/// best model in `best/`; early stopping; a JSON-lines log; exact resume from any checkpoint. Under
/// `mpirun` the ranks share each global batch (each `batch_size` texts of every micro-batch of
/// `batch_size` × ranks) and the evaluation; rank 0 alone writes the log, checkpoints and `best/`.
public final class Trainer {
    /// The model being fine-tuned, updated in place.
    public let model: BertModel
    /// Encodes the texts; saved with every checkpoint.
    public let tokenizer: BertTokenizer
    /// The run's folder: log, checkpoints and `best/`.
    public let outputDirectory: URL
    /// Where the run is; saved as `trainer_state.json` in every checkpoint.
    public private(set) var state: TrainerState
    let engine: TrainingEngine
    let train: [Encoding]
    let trainLabels: [Int]
    let validation: [Encoding]
    let validationLabels: [Int]
    /// The resident memory the run will reach, worked out before it started.
    public let memoryEstimate: TrainingMemoryEstimate
    /// When distilling, the teacher's logits for each training text.
    let trainTeacherLogits: [[Float]]?
    var orderGenerator: SeededGenerator
    /// The ranks sharing the run (this process alone outside mpirun).
    public let group: ProcessGroup

    /// The run's settings, as its state keeps them.
    public var arguments: TrainingArguments { state.arguments }
    /// Where the best model so far is saved (the last one when nothing is evaluated).
    public var bestDirectory: URL { outputDirectory.appendingPathComponent("best") }
    /// The run's JSON-lines log, `log.jsonl`.
    public var logURL: URL { outputDirectory.appendingPathComponent(TrainingLogEntry.fileName) }

    /// A new run of `model` (its classes and head already set, e.g. by `BertModel.load(from:classes:head:)`),
    /// shared among the ranks of `group`.
    public convenience init(
        model: BertModel, tokenizer: BertTokenizer, train: TextsAndClasses, validation: TextsAndClasses?,
        arguments: TrainingArguments, outputDirectory: URL, group: ProcessGroup = .single
    ) throws {
        try self.init(
            newRun: model, tokenizer: tokenizer, train: train, validation: validation, arguments: arguments,
            teacher: nil, outputDirectory: outputDirectory, group: group)
    }

    /// A new run; with a teacher, distilling it (`distillation` in the teacher's record).
    convenience init(
        newRun model: BertModel, tokenizer: BertTokenizer, train: TextsAndClasses, validation: TextsAndClasses?,
        arguments: TrainingArguments,
        teacher: (teacher: Teacher, record: DistillationRecord, cacheDirectory: URL?)?, outputDirectory: URL,
        group: ProcessGroup = .single
    ) throws {
        try arguments.validate(numLabels: model.config.numLabels)
        guard arguments.maxLength <= model.config.maxPositionEmbeddings else {
            throw TrainingError.maxLengthOutOfRange(arguments.maxLength, modelLimit: model.config.maxPositionEmbeddings)
        }
        try self.init(
            model: model, tokenizer: tokenizer, train: train, validation: validation, teacher: teacher?.teacher,
            cacheDirectory: teacher?.cacheDirectory, outputDirectory: outputDirectory, group: group
        ) { textCount in
            let globalMicroBatch = arguments.batchSize * group.size
            let microBatches = (textCount + globalMicroBatch - 1) / globalMicroBatch
            let accumulation = arguments.gradientAccumulationSteps
            let updatesPerEpoch = max(1, (microBatches + accumulation - 1) / accumulation)
            return TrainerState(
                totalSteps: arguments.maxSteps ?? updatesPerEpoch * arguments.epochs, updatesPerEpoch: updatesPerEpoch,
                orderGenerator: SeededGenerator(seed: arguments.seed).stateWords, ranks: group.size,
                dataFingerprint: TrainerState.fingerprint(texts: train.texts, labels: train.labels),
                classes: model.config.classNames, arguments: arguments, distillation: teacher?.record)
        }
    }

    /// Continues the run saved in `checkpoint` (a `checkpoint-STEP` folder, or a run's folder, whose newest
    /// intact checkpoint is taken: see `ResumePoint`) on the same data: model, optimizer moments, schedule
    /// position, data order and dropout stream are restored, so the result equals an uninterrupted run's.
    /// A distillation run reloads its teacher, which must be unchanged, and reads its logits from the
    /// cache in `cacheDirectory` (or computes them again).
    public static func resume(
        from checkpoint: URL, train: TextsAndClasses, validation: TextsAndClasses?, outputDirectory: URL,
        cacheDirectory: URL? = nil, group: ProcessGroup = .single
    ) throws -> Trainer {
        try resume(
            from: ResumePoint(resolving: checkpoint), train: train, validation: validation,
            outputDirectory: outputDirectory, cacheDirectory: cacheDirectory, group: group)
    }

    /// Continues the run at `point` on the same data, with as many ranks as it had; see
    /// `resume(from:train:validation:outputDirectory:cacheDirectory:group:)`.
    public static func resume(
        from point: ResumePoint, train: TextsAndClasses, validation: TextsAndClasses?, outputDirectory: URL,
        cacheDirectory: URL? = nil, group: ProcessGroup = .single
    ) throws -> Trainer {
        let (checkpoint, saved) = (point.checkpoint, point.state)
        guard saved.ranks == group.size else {
            throw TrainingError.ranksChanged(checkpoint: checkpoint.path, saved: saved.ranks, now: group.size)
        }
        guard saved.dataFingerprint == TrainerState.fingerprint(texts: train.texts, labels: train.labels) else {
            throw TrainingError.dataMismatch(checkpoint: checkpoint.path)
        }
        let model = try BertModel.load(from: checkpoint)
        guard model.config.classNames == saved.classes else {
            throw TrainingError.classesMismatch(
                checkpoint: checkpoint.path, model: model.config.classNames, state: saved.classes)
        }
        let teacher = try saved.distillation.map { record in
            let teacher = try Teacher(
                directory: URL(fileURLWithPath: record.teacher), precision: record.arguments.teacherPrecision)
            guard teacher.weightsDigest == record.teacherSHA256 else {
                throw TrainingError.teacherChanged(
                    folder: record.teacher, expected: record.teacherSHA256, found: teacher.weightsDigest)
            }
            return teacher
        }
        var state = saved
        state.checkpointFiles = nil
        let trainer = try Trainer(
            model: model, tokenizer: BertTokenizer(directory: checkpoint), train: train, validation: validation,
            teacher: teacher, cacheDirectory: cacheDirectory, outputDirectory: outputDirectory, group: group
        ) { _ in state }
        try TrainingCheckpoint.loadOptimizer(into: trainer.engine.optimizer, layout: model.layout, from: checkpoint)
        guard trainer.engine.optimizer.step == saved.globalStep else {
            throw TrainingError.stepMismatch(
                checkpoint: checkpoint.path, optimizer: trainer.engine.optimizer.step, state: saved.globalStep)
        }
        return trainer
    }

    /// A new run fine-tuning the model folder `modelDirectory` on `data`: the head is sized for the
    /// training set's labels (and initialised afresh when the folder's differs), and the split is saved
    /// in the run folder (by rank 0, under mpirun).
    public convenience init(
        modelDirectory: URL, data: TrainingData, arguments: TrainingArguments, outputDirectory: URL,
        group: ProcessGroup = .single
    ) throws {
        let classes = data.train.labels
        let model = try BertModel.load(
            from: modelDirectory, classes: classes, head: arguments.head, seed: arguments.seed)
        let (train, validation) = try data.labeled(by: classes)
        // Saved with the model, so predictions prepare texts as these were (the length is set below too).
        let tokenizer = try BertTokenizer(directory: modelDirectory).with {
            $0.cleansText = data.train.textsCleaned
            $0.modelMaxLength = arguments.maxLength
        }
        try self.init(
            model: model, tokenizer: tokenizer, train: train, validation: validation,
            arguments: arguments, outputDirectory: outputDirectory, group: group)
        if group.isRoot { try data.save(in: outputDirectory) }
    }

    /// Continues the run saved in `checkpoint` (a `checkpoint-STEP` folder, or a run's folder: see
    /// `ResumePoint`) on `data`, labelled by the classes the run trained on.
    public static func resume(
        from checkpoint: URL, data: TrainingData, outputDirectory: URL, cacheDirectory: URL? = nil,
        group: ProcessGroup = .single
    ) throws -> Trainer {
        try resume(
            from: ResumePoint(resolving: checkpoint), data: data, outputDirectory: outputDirectory,
            cacheDirectory: cacheDirectory, group: group)
    }

    /// Continues the run at `point` on `data`, labelled by the classes the run trained on.
    public static func resume(
        from point: ResumePoint, data: TrainingData, outputDirectory: URL, cacheDirectory: URL? = nil,
        group: ProcessGroup = .single
    ) throws -> Trainer {
        let (train, validation) = try data.labeled(
            by: point.state.classes, allowingUnlabeled: point.state.distillation != nil)
        let trainer = try resume(
            from: point, train: train, validation: validation, outputDirectory: outputDirectory,
            cacheDirectory: cacheDirectory, group: group)
        if group.isRoot { try data.save(in: outputDirectory) }
        return trainer
    }

    private init(
        model: BertModel, tokenizer: BertTokenizer, train: TextsAndClasses, validation: TextsAndClasses?,
        teacher: Teacher? = nil, cacheDirectory: URL? = nil, outputDirectory: URL, group: ProcessGroup,
        makeState: (_ textCount: Int) throws -> TrainerState
    ) throws {
        guard !train.texts.isEmpty, train.texts.count == train.labels.count else {
            throw TrainingError.noTrainingTexts(texts: train.texts.count, labels: train.labels.count)
        }
        self.model = model
        self.outputDirectory = outputDirectory
        self.group = group
        state = try makeState(train.texts.count)
        let arguments = state.arguments
        // The length the model is trained at is its limit from now on (saved as `model_max_length`), and
        // long texts are cut as training cuts them (`truncation_side`, `bertsent_truncation`).
        let tokenizer = try tokenizer.with {
            $0.modelMaxLength = arguments.maxLength
            $0.truncationSide = arguments.truncation
            $0.truncationHeadTokens = arguments.truncationHead
        }
        self.tokenizer = tokenizer
        self.train = try tokenizer.encodeBatch(train.texts, maxLength: arguments.maxLength, padding: .doNotPad)
        trainLabels = train.labels
        if arguments.evalStrategy != .no || arguments.earlyStoppingPatience != nil {
            guard let validation, !validation.texts.isEmpty else {
                throw TrainingError.noValidationSet(strategy: arguments.evalStrategy.rawValue)
            }
        }
        self.validation =
            try validation.map {
                try tokenizer.encodeBatch($0.texts, maxLength: arguments.maxLength, padding: .doNotPad)
            } ?? []
        if let teacher {
            // One pass over both sets; a validation text without a label is scored by the teacher's class.
            let logits = try teacher.logits(for: self.train + self.validation, cacheDirectory: cacheDirectory).logits
            trainTeacherLogits = Array(logits[..<self.train.count])
            validationLabels = zip(validation?.labels ?? [], logits[self.train.count...]).map { label, teacherLogits in
                guard label == DistillationLoss.unlabeled else { return label }
                let classes = model.config.classNames
                return classes.firstIndex(of: Prediction(logits: teacherLogits, classes: classes).label)!
            }
        } else {
            trainTeacherLogits = nil
            validationLabels = validation?.labels ?? []
        }
        orderGenerator = try SeededGenerator(stateWords: state.orderGenerator)
        let longest = self.train.map(\.count).max() ?? 2
        engine = try TrainingEngine(
            model: model, arguments: arguments, totalSteps: state.totalSteps,
            maxBatch: arguments.batchSize, maxSequence: min(longest, model.config.maxPositionEmbeddings),
            seed: arguments.seed ^ 0x5EED_D0D0, distillation: state.distillation?.arguments.loss, group: group)
        try RankAgreement.check(
            group: group, state: state,
            validationFingerprint: TrainerState.fingerprint(
                texts: validation?.texts ?? [], labels: validation?.labels ?? []))
        // Refused now, before the first step touches memory the machine does not have.
        let validationLength = self.validation.map(\.count).max() ?? 2
        memoryEstimate = try TrainingMemoryEstimate(
            model: model, engine: engine, evaluationBatch: min(arguments.evalBatchSize, max(1, self.validation.count)),
            evaluationLength: validationLength, evaluationPrecision: arguments.evalPrecision ?? arguments.precision,
            encodings: self.train + self.validation,
            textBytes: train.texts.reduce(0) { $0 + $1.utf8.count }
                + (validation?.texts.reduce(0) { $0 + $1.utf8.count } ?? 0))
        try memoryEstimate.check(against: .current, batch: arguments.batchSize, length: engine.acts.maxSequence)
    }

    /// Runs until the last step, early stopping, or `stopAfter` updates in total (then a checkpoint is
    /// saved there, as an interrupted run would leave). Returns the final state. When `stopRequest` is
    /// made (a signal handler may), saves a checkpoint at the end of the step under way and throws
    /// `TrainingError.interrupted` naming it.
    @discardableResult
    public func run(
        stopAfter: Int? = nil, stopRequest: TrainingStopRequest? = nil, onEvent: (TrainingEvent) -> Void = { _ in }
    ) throws -> TrainerState {
        // Rank 0 writes; the others keep the same state in memory.
        var log: TrainingLogWriter?
        if group.isRoot {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
            TrainingCheckpoint.recoverInterruptedWrites(in: outputDirectory)
            log = try TrainingLogWriter(url: logURL, history: state.logHistory)
        }
        let started = Date()
        let firstStep = state.globalStep
        let arguments = state.arguments
        let accumulation = arguments.gradientAccumulationSteps
        var lastSaved = -1
        func event(_ entry: TrainingLogEntry, checkpoint: URL? = nil, isBest: Bool = false) -> TrainingEvent {
            TrainingEvent(
                entry: entry, totalSteps: state.totalSteps, elapsed: Date().timeIntervalSince(started),
                stepsThisRun: state.globalStep - firstStep, checkpoint: checkpoint, isBest: isBest)
        }

        training: while state.globalStep < state.totalSteps {
            if state.stepInEpoch == 0 { state.epochSeed = orderGenerator.next() }
            let order = epochOrder()
            let share = arguments.batchSize, globalMicroBatch = share * group.size
            let microBatches = (order.count + globalMicroBatch - 1) / globalMicroBatch
            while state.stepInEpoch < state.updatesPerEpoch, state.globalStep < state.totalSteps {
                let stepStart = Date()
                let firstMicro = state.stepInEpoch * accumulation
                let members = (firstMicro..<min(firstMicro + accumulation, microBatches)).map { micro in
                    order[(micro * globalMicroBatch)..<min((micro + 1) * globalMicroBatch, order.count)]
                }
                // This rank's share of each micro-batch: the rank-th `share` texts (none, for a short last one).
                let batches = try members.map { $0.dropFirst(group.rank * share).prefix(share) }.filter { !$0.isEmpty }
                    .map(labeledBatch)
                let globalLabels = members.flatMap { $0.map { trainLabels[$0] } }
                let result = try engine.step(batches, globalLabels: globalLabels)
                state.globalStep = result.step
                state.stepInEpoch += 1
                if state.stepInEpoch == state.updatesPerEpoch {
                    state.epochsCompleted += 1
                    state.stepInEpoch = 0
                }
                var entry = TrainingLogEntry(
                    kind: .train, step: state.globalStep, epoch: state.epoch, loss: result.loss)
                entry.learningRate = result.learningRate
                entry.gradientNorm = Double(result.gradientNorm)
                entry.samplesPerSecond = Double(globalLabels.count) / max(1e-9, Date().timeIntervalSince(stepStart))
                entry.allReduceSeconds = result.allReduceSeconds
                try record(entry, in: log)
                onEvent(event(entry))

                let epochEnded = state.stepInEpoch == 0
                let lastStep = state.globalStep == state.totalSteps
                let evaluate =
                    switch arguments.evalStrategy {
                    case .no: false
                    case .epoch: epochEnded || lastStep
                    case .steps: state.globalStep % arguments.evalSteps == 0 || lastStep
                    }
                if evaluate {
                    let (evaluation, stop) = try evaluateAndSave(log: log)
                    lastSaved = state.globalStep
                    onEvent(event(evaluation.entry, checkpoint: evaluation.checkpoint, isBest: evaluation.isBest))
                    if stop { break training }
                } else if arguments.evalStrategy == .no, epochEnded || lastStep {
                    try saveCheckpoint(isBest: true)
                    lastSaved = state.globalStep
                }
                if let stopAfter, state.globalStep >= stopAfter { break training }
                if let signal = try agreedStop(stopRequest) {
                    let checkpoint =
                        lastSaved == state.globalStep
                        ? checkpointDirectory : try saveCheckpoint(isBest: arguments.evalStrategy == .no)
                    throw TrainingError.interrupted(signal: signal, step: state.globalStep, checkpoint: checkpoint.path)
                }
                if epochEnded { break }
            }
        }
        if lastSaved != state.globalStep { try saveCheckpoint(isBest: arguments.evalStrategy == .no) }
        return state
    }

    /// This epoch's order of training texts: a permutation drawn from the epoch's seed, or file order;
    /// with `groupByLength`, regrouped so each update's batches hold texts of similar length.
    func epochOrder() -> [Int] {
        var order = Array(train.indices)
        if state.arguments.shuffle {
            var generator = SeededGenerator(seed: state.epochSeed)
            order.shuffle(using: &generator)
        }
        guard state.arguments.groupByLength else { return order }
        return LengthGrouping.grouped(
            order, lengths: train.map(\.count),
            batchSize: state.arguments.batchSize * group.size * state.arguments.gradientAccumulationSteps)
    }

    func labeledBatch(_ members: ArraySlice<Int>) throws -> TrainingBatch {
        TrainingBatch(
            tokens: try TokenBatch(
                ids: members.map { train[$0].ids }, typeIds: members.map { train[$0].tokenTypeIds },
                padId: tokenizer.padId),
            labels: members.map { trainLabels[$0] },
            teacherLogits: trainTeacherLogits.map { logits in members.flatMap { logits[$0] } },
            keys: members.map { UInt64($0) })
    }

    /// The signal that asked the run to stop, once any rank has one: every rank stops after the same step.
    func agreedStop(_ request: TrainingStopRequest?) throws -> Int32? {
        let signal = request?.requestedSignal
        guard group.size > 1 else { return signal }
        let ranksAsked = try group.sum([signal == nil ? 0 : 1])[0]
        return ranksAsked > 0 ? signal ?? SIGTERM : nil
    }

    func record(_ entry: TrainingLogEntry, in log: TrainingLogWriter?) throws {
        state.logHistory.append(entry)
        try log?.append(entry)
    }

    /// Validation loss and metrics now, logged; then a checkpoint, `best/` if it improved, rotation
    /// and the early-stopping count. Returns the event and whether to stop.
    func evaluateAndSave(log: TrainingLogWriter?) throws -> (
        event: (entry: TrainingLogEntry, checkpoint: URL, isBest: Bool), stop: Bool
    ) {
        let arguments = state.arguments
        engine.releaseActivationMemory()
        let predictor = try Predictor(
            model: model, tokenizer: tokenizer, maxLength: arguments.maxLength, batchSize: arguments.evalBatchSize,
            precision: arguments.evalPrecision ?? arguments.precision)
        let started = Date()
        let logits = try validationLogits(predictor)
        let runtime = Date().timeIntervalSince(started)
        let metrics = try ClassificationMetrics(
            labels: validationLabels, probabilities: logits.map(Prediction.probabilities),
            classes: model.config.classNames)
        var entry = TrainingLogEntry(
            kind: .eval, step: state.globalStep, epoch: state.epoch,
            loss: ClassificationLoss.mean(
                logits: logits, labels: validationLabels,
                classWeights: arguments.classWeights))
        entry.accuracy = metrics.accuracy
        entry.precision = metrics.precision
        entry.recall = metrics.recall
        entry.f1 = metrics.f1
        entry.runtime = runtime
        try record(entry, in: log)

        let value =
            switch arguments.metricForBestModel {
            case .accuracy: metrics.accuracy
            case .f1: metrics.f1
            case .loss: entry.loss
            }
        let sign = arguments.metricForBestModel.greaterIsBetter ? 1.0 : -1.0
        let isBest = state.bestMetric.map { sign * (value - $0) > 0 } ?? true
        if let best = state.bestMetric, sign * (value - best) <= arguments.earlyStoppingThreshold {
            state.evaluationsWithoutImprovement += 1
        } else {
            state.evaluationsWithoutImprovement = 0
        }
        if isBest {
            state.bestMetric = value
            state.bestStep = state.globalStep
        }
        let checkpoint = try saveCheckpoint(isBest: isBest)
        let stop = arguments.earlyStoppingPatience.map { state.evaluationsWithoutImprovement >= $0 } ?? false
        return ((entry, checkpoint, isBest), stop)
    }

    /// The validation texts' logits, in order. Under mpirun each rank scores every size-th text (texts
    /// of every length on each) and the ranks sum their parts, zero elsewhere, so all have them all.
    func validationLogits(_ predictor: Predictor) throws -> [[Float]] {
        guard group.size > 1 else { return try predictor.logits(encodings: validation) }
        let mine = Array(stride(from: group.rank, to: validation.count, by: group.size))
        let classes = model.config.numLabels
        var all = [Float](repeating: 0, count: validation.count * classes)
        for (row, logits) in zip(mine, try predictor.logits(encodings: mine.map { validation[$0] })) {
            all.replaceSubrange((row * classes)..<((row + 1) * classes), with: logits)
        }
        try all.withUnsafeMutableBufferPointer { try group.sum($0.baseAddress!, count: $0.count) }
        return (0..<validation.count).map { Array(all[($0 * classes)..<(($0 + 1) * classes)]) }
    }

    /// Writes `best/` when `isBest`, then `checkpoint-STEP/`, then deletes the oldest checkpoints beyond
    /// the limit, never the best one. `best/` goes first so that a run resumed from the newest checkpoint
    /// never has an older `best/` than that checkpoint's state names. Rank 0 alone writes.
    @discardableResult
    func saveCheckpoint(isBest: Bool) throws -> URL {
        state.orderGenerator = orderGenerator.stateWords
        guard group.isRoot else { return checkpointDirectory }
        if isBest {
            try TrainingCheckpoint.save(
                model: model, tokenizer: tokenizer, optimizer: nil, state: state, to: bestDirectory)
        }
        try TrainingCheckpoint.save(
            model: model, tokenizer: tokenizer, optimizer: engine.optimizer, state: state, to: checkpointDirectory)
        if let limit = state.arguments.saveTotalLimit {
            let steps = TrainingCheckpoint.steps(in: outputDirectory).filter { $0 != state.bestStep }
            for step in steps.dropLast(limit - (state.bestStep == nil || state.bestStep == state.globalStep ? 0 : 1)) {
                TrainingCheckpoint.remove(outputDirectory.appendingPathComponent("checkpoint-\(step)"))
            }
        }
        return checkpointDirectory
    }

    /// The checkpoint folder of the current step.
    var checkpointDirectory: URL { outputDirectory.appendingPathComponent("checkpoint-\(state.globalStep)") }
}
