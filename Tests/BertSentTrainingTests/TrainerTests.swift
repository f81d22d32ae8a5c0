import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// The training loop on the tiny legacy checkpoint and a small synthetic task.
@Suite struct TrainerTests {
    static let positive = [
        "good film", "a great movie", "i love it", "the best film i have seen", "good and great", "great film",
        "love the film", "best movie",
    ]
    static let negative = [
        "bad film", "the worst movie", "i hate it", "a bad and boring film", "worst film ever", "boring movie",
        "hate the film", "bad movie",
    ]

    var data: TextsAndClasses {
        TextsAndClasses(
            texts: Self.positive + Self.negative, labels: Array(repeating: 1, count: 8) + Array(repeating: 0, count: 8))
    }

    func trainer(_ arguments: TrainingArguments, head: ClassifierHead = .softmax, output: URL) throws -> Trainer {
        let base = Fixtures.url("model/tiny-legacy")
        let model = try BertModel.load(from: base, classes: ["negative", "positive"], head: head, seed: arguments.seed)
        return try Trainer(
            model: model, tokenizer: BertTokenizer(directory: base), train: data, validation: data,
            arguments: arguments, outputDirectory: output)
    }

    func arguments() -> TrainingArguments {
        var arguments = TrainingArguments()
        arguments.batchSize = 4
        arguments.maxLength = 64  // the tiny model's max_position_embeddings
        arguments.epochs = 3
        arguments.evalStrategy = .steps
        arguments.evalSteps = 2
        arguments.learningRate = 1e-3
        arguments.warmupSteps = 2
        return arguments
    }

    /// An interrupted run resumed from its checkpoint ends with the same weights, bit for bit, and
    /// the same log of training losses.
    @Test func resumeContinuesExactly() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var arguments = arguments()
        arguments.gradientAccumulationSteps = 2
        arguments.batchSize = 2
        let whole = try trainer(arguments, output: root.appendingPathComponent("whole"))
        let final = try whole.run()
        #expect(final.globalStep == 12)  // 16 texts / 2 per micro-batch / 2 accumulated = 4 updates × 3 epochs

        let interruptedDirectory = root.appendingPathComponent("interrupted")
        let interrupted = try trainer(arguments, output: interruptedDirectory)
        #expect(try interrupted.run(stopAfter: 5).globalStep == 5)
        let checkpoint = interruptedDirectory.appendingPathComponent("checkpoint-5")
        let resumed = try Trainer.resume(
            from: checkpoint, train: data, validation: data, outputDirectory: interruptedDirectory)
        #expect(try resumed.run().globalStep == 12)
        let a = Array(whole.model.parameters.buffer), b = Array(resumed.model.parameters.buffer)
        #expect(zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }, "weights differ by up to \(maxAbsDiff(a, b))")
        let trainLosses = { (entries: [TrainingLogEntry]) in entries.filter { $0.kind == .train }.map(\.loss) }
        #expect(
            trainLosses(try TrainingLogEntry.read(from: whole.logURL))
                == trainLosses(try TrainingLogEntry.read(from: resumed.logURL)))
    }

    /// A checkpoint written by bertsent 0.2 (the optimizer's settings nested under `optimization`, two of
    /// them named `schedule` and `schedule_steps`) and before a setting existed (here without
    /// `group_by_length`, `warmup_ratio`, `truncation`, `truncation_head` and `layerwise_lr_decay`)
    /// resumes as it ran — those settings at the values that do what bertsent did before them, whatever
    /// their defaults are now — and keeps the ones it has.
    @Test func resumeReadsAnOlderTrainerState() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try trainer(arguments(), output: root).run(stopAfter: 2)
        let checkpoint = root.appendingPathComponent("checkpoint-2")
        let stateURL = checkpoint.appendingPathComponent("trainer_state.json")
        var state = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: stateURL)) as? [String: Any])
        var stored = try #require(state["arguments"] as? [String: Any])
        var optimization: [String: Any] = [:]
        for key in [
            "optimizer", "learning_rate", "weight_decay", "adam_beta1", "adam_beta2", "adam_epsilon", "max_grad_norm",
            "warmup_steps", "gradient_accumulation_steps", "class_weights", "dropout", "precision",
        ] {
            optimization[key] = stored.removeValue(forKey: key)
        }
        optimization["schedule"] = stored.removeValue(forKey: "lr_scheduler")
        optimization["schedule_steps"] = stored.removeValue(forKey: "lr_schedule_steps")
        for key in ["group_by_length", "warmup_ratio", "truncation", "truncation_head", "layerwise_lr_decay"] {
            #expect(stored.removeValue(forKey: key) != nil, "\(key) was saved")
        }
        stored["optimization"] = optimization
        state["arguments"] = stored
        try JSONSerialization.data(withJSONObject: state).write(to: stateURL)

        let resumed = try Trainer.resume(from: checkpoint, train: data, validation: data, outputDirectory: root)
        var before = arguments()
        before.groupByLength = false
        before.warmupRatio = 0
        before.truncation = .head
        before.truncationHead = nil
        before.layerwiseLrDecay = 1
        #expect(resumed.arguments == before)
        #expect(try resumed.run().globalStep == 12)
    }

    @Test func resumeRefusesOtherData() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try trainer(arguments(), output: root).run(stopAfter: 2)
        var other = data
        other.labels[0] = 0
        #expect {
            try Trainer.resume(
                from: root.appendingPathComponent("checkpoint-2"), train: other, validation: data, outputDirectory: root
            )
        } throws: {
            guard case .dataMismatch = $0 as? TrainingError else { return false }
            return true
        }
    }

    /// The run learns the toy task, logs train and eval entries, keeps `best/` as a loadable Hugging
    /// Face folder and at most `saveTotalLimit` checkpoints besides the best.
    @Test(arguments: ClassifierHead.allCases)
    func runLogsEvaluatesAndKeepsTheBest(head: ClassifierHead) throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var arguments = arguments()
        arguments.epochs = 8
        arguments.learningRate = 3e-3
        arguments.dropout = 0
        arguments.saveTotalLimit = 1
        let trainer = try trainer(arguments, head: head, output: root)
        var events: [TrainingEvent] = []
        let state = try trainer.run { events.append($0) }
        #expect(state.globalStep == 32)
        let log = try TrainingLogEntry.read(from: trainer.logURL)
        #expect(log.filter { $0.kind == .train }.count == 32 && log.filter { $0.kind == .eval }.count == 16)
        #expect(log.allSatisfy { $0.kind == .eval ? $0.accuracy != nil && $0.f1 != nil : $0.learningRate != nil })
        #expect(events.count == log.count)
        let evals = log.filter { $0.kind == .eval }
        #expect(evals.last!.accuracy! >= 0.9, "the toy task is learnable: \(evals.map { $0.accuracy! })")
        #expect(evals.last!.loss < evals.first!.loss)

        let best = try BertModel.load(from: trainer.bestDirectory)
        #expect(
            best.untrainedTensors.isEmpty && best.config.classNames == ["negative", "positive"]
                && best.config.head == head)
        let predictor = try Predictor(directory: trainer.bestDirectory)
        #expect(try predictor.predict(["a great movie"])[0].label == "positive")
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.path).filter {
            $0.hasPrefix("checkpoint-")
        }
        #expect(folders.count <= 2, "limit 1 plus the best: \(folders)")
        #expect(folders.contains("checkpoint-\(state.bestStep!)"))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: root.path)).contains { $0.hasSuffix(".partial") })
    }

    /// A model fine-tuned from a folder saves the preprocessing its data had where Hugging Face keeps it
    /// (`model_max_length`, `truncation_side`) and bertsent's cleaning key, and a predictor loaded from it
    /// applies them: texts cleaned (or not) as training's were, truncated at the trained length.
    @Test(arguments: [true, false]) func theSavedModelPreparesTextsAsTrainingDid(cleaned: Bool) throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let examples = zip(data.texts, data.labels).map {
            LabeledText(text: $0, label: $1 == 1 ? "positive" : "negative")
        }
        let dataset = ReviewDataset(examples: examples, textsCleaned: cleaned)
        var arguments = arguments()
        arguments.maxLength = 24
        arguments.maxSteps = 1
        arguments.evalStrategy = .no
        let trainer = try Trainer(
            modelDirectory: Fixtures.url("model/tiny-legacy"), data: TrainingData(train: dataset, validation: nil),
            arguments: arguments, outputDirectory: root)
        try trainer.run()
        let config = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: trainer.bestDirectory.appendingPathComponent("tokenizer_config.json")))
                as? [String: Any])
        #expect(config["model_max_length"] as? Int == 24 && config["truncation_side"] as? String == "right")
        #expect(config["bertsent_clean_text"] as? Bool == cleaned)
        let predictor = try Predictor(directory: trainer.bestDirectory)
        #expect(predictor.maxLength == 24)
        #expect(
            predictor.profile.prepare("a <b>great</b>  film") == (cleaned ? "a great film" : "a <b>great</b>  film"))
        let long = String(repeating: "good film ", count: 40)
        #expect(try predictor.profile.encode([long])[0].ids.count == 24)
    }

    /// Evaluating in another precision changes the evaluations' numbers, never the training: the same
    /// training losses and the same weights, bit for bit.
    @Test func evalPrecisionLeavesTrainingAlone() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var arguments = arguments()
        let fp32 = try trainer(arguments, output: root.appendingPathComponent("fp32"))
        try fp32.run()
        arguments.evalPrecision = .int8
        let int8 = try trainer(arguments, output: root.appendingPathComponent("int8"))
        try int8.run()
        let a = Array(fp32.model.parameters.buffer), b = Array(int8.model.parameters.buffer)
        #expect(zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }, "weights differ by up to \(maxAbsDiff(a, b))")
        let log = { (url: URL, kind: TrainingLogEntry.Kind) in
            try TrainingLogEntry.read(from: url).filter { $0.kind == kind }.map(\.loss)
        }
        #expect(try log(fp32.logURL, .train) == log(int8.logURL, .train))
        let fp32Evals = try log(fp32.logURL, .eval), int8Evals = try log(int8.logURL, .eval)
        #expect(fp32Evals.count == 6 && int8Evals.count == 6)
        #expect(fp32Evals != int8Evals, "int8 evaluations rounded nothing: they did not run in int8")
        #expect(zip(fp32Evals, int8Evals).allSatisfy { abs($0 - $1) < 0.05 })
    }

    /// With a learning rate too small to change anything, accuracy never improves: the run stops
    /// after `patience` evaluations without improvement.
    @Test func earlyStoppingStopsAfterPatience() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var arguments = arguments()
        arguments.learningRate = 1e-12
        arguments.earlyStoppingPatience = 2
        arguments.epochs = 10
        let state = try trainer(arguments, output: root).run()
        #expect(state.globalStep == 6, "first eval sets the best, two more without improvement stop the run")
        #expect(state.bestStep == 2)
    }

    @Test func badArgumentsAreRejected() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var arguments = arguments()
        arguments.batchSize = 0
        #expect(throws: SettingsError.outOfRange(setting: "batch_size", value: "0", requirement: "at least 1")) {
            try trainer(arguments, output: root)
        }
        arguments = self.arguments()
        arguments.evalStrategy = .no
        arguments.earlyStoppingPatience = 1
        #expect { try trainer(arguments, output: root) } throws: {
            guard case .conflict(setting: "early_stopping_patience", with: "eval_strategy", _) = $0 as? SettingsError
            else { return false }
            return true
        }
    }
}
