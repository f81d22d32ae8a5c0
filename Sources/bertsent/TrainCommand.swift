import ArgumentParser
import BertSent
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fine-tune a BERT model on a labelled CSV.",
        discussion: """
            Splits the data (stratified, 80/20 by default), fine-tunes every layer and writes to the output \
            directory: log.jsonl, the split (train.csv, validation.csv), checkpoint-STEP/ folders and best/ — Hugging Face folders \
            that `bertsent predict`, `bertsent evaluate` and transformers load. Flags are named after HF \
            TrainingArguments; --config reads the same settings from a JSON file (snake_case keys).
            """)

    @Argument(help: "CSV file with a text and a label column (IMDB's review,sentiment by default).")
    var data: String

    @OptionGroup var model: ModelOption
    @OptionGroup var columns: DataOptions

    @Option(help: "Where checkpoints, best/ and the log go.")
    var outputDir = "runs/bertsent"

    @Option(help: "A CSV to validate on instead of splitting the data.")
    var validationFile: String?

    @Option(help: "Validation share of the data (0.2) or, when ≥ 1, a number of texts.")
    var testSize = 0.2

    @Option(help: "Training texts to take (a share < 1 or a number); default: all not used for validation.")
    var trainSize: Double?

    @Option(help: "A JSON file of settings (the flags below, snake_case); flags override it.")
    var config: String?

    @Option(help: "Continue the run saved in this checkpoint-STEP folder (same data and split).")
    var resume: String?

    @Option(help: "Peak learning rate (2e-5).") var learningRate: Double?
    @Option(help: "Texts per micro-batch (8).") var batchSize: Int?
    @Option(help: "Texts per batch when evaluating (32).") var evalBatchSize: Int?
    @Option(help: "Passes over the training texts (3).") var epochs: Int?
    @Option(help: "Stop after exactly this many optimizer updates (overrides --epochs).") var maxSteps: Int?
    @Option(help: "Decoupled weight decay, not applied to biases and LayerNorm weights (0.01).") var weightDecay: Double?
    @Option(help: "Updates of linear warmup (0).") var warmupSteps: Int?
    @Option(help: "Warmup as a share of all updates, rounded up; used when --warmup-steps is 0.") var warmupRatio: Double?
    @Option(help: "Updates the learning-rate schedule spans, if not the whole run (transformers' num_training_steps).") var lrScheduleSteps: Int?
    @Option(help: "Decay after warmup: linear, cosine or constant (linear).") var lrScheduler: LearningRateSchedule.Kind?
    @Option(help: "adamw (decoupled decay) or adam (L2 in the gradient) (adamw).") var optimizer: OptimizerKind?
    @Option var adamBeta1: Double?
    @Option var adamBeta2: Double?
    @Option var adamEpsilon: Double?
    @Option(help: "Micro-batches per update (1).") var gradientAccumulationSteps: Int?
    @Option(help: "Clip the global gradient norm to this; 0 turns it off (1.0).") var maxGradNorm: Double?
    @Option(help: "Truncate texts to this many tokens (256).") var maxLength: Int?
    @Option(help: "softmax (one logit per class) or sigmoid (one logit, two classes) (softmax).") var head: ClassifierHead?
    @Option(help: "Evaluate each epoch, every --eval-steps, or no (epoch).") var evalStrategy: TrainingArguments.EvalStrategy?
    @Option(help: "Updates between evaluations with --eval-strategy steps (500).") var evalSteps: Int?
    @Option(help: "Stop after this many evaluations without improvement.") var earlyStoppingPatience: Int?
    @Option(help: "Improvement smaller than this does not count (0).") var earlyStoppingThreshold: Double?
    @Option(help: "accuracy, f1 or loss: picks best/ and drives early stopping (accuracy).") var metricForBestModel: TrainingArguments.Metric?
    @Option(help: "Checkpoints kept besides best/ (2).") var saveTotalLimit: Int?
    @Option(help: "Seeds the split, head, dropout and data order (42).") var seed: UInt64?
    @Option(help: "Dropout rate everywhere; 0 turns it off (default: the model config's rates).") var dropout: Double?
    @Option(help: "Loss weight per class in label order, e.g. 1,3.", transform: parseWeights) var classWeights: [Float]?
    @Flag(help: "Keep file order instead of reshuffling every epoch.") var noShuffle = false
    @Flag(help: "Batch texts of similar length together (less padding; HF's group_by_length).") var groupByLength = false
    @Option(help: "fp32, or bf16: mixed precision, the encoder's products on bf16 operands with FP32 weights and optimizer (faster on CPUs with AVX-512 BF16, refused elsewhere; HF's bf16) (fp32).")
    var precision: Precision?

    @Option(help: "Progress as text, or every log entry as a JSON line on standard output.")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable { case text, jsonl }

    var flagOverrides: TrainingOverrides {
        var o = TrainingOverrides()
        (o.learningRate, o.batchSize, o.evalBatchSize, o.epochs, o.maxSteps) = (learningRate, batchSize, evalBatchSize, epochs, maxSteps)
        (o.weightDecay, o.warmupSteps, o.warmupRatio, o.lrScheduler, o.optimizer) = (weightDecay, warmupSteps, warmupRatio, lrScheduler, optimizer)
        (o.adamBeta1, o.adamBeta2, o.adamEpsilon, o.lrScheduleSteps) = (adamBeta1, adamBeta2, adamEpsilon, lrScheduleSteps)
        (o.gradientAccumulationSteps, o.maxGradNorm, o.maxLength, o.head) = (gradientAccumulationSteps, maxGradNorm, maxLength, head)
        (o.evalStrategy, o.evalSteps, o.earlyStoppingPatience, o.earlyStoppingThreshold) = (evalStrategy, evalSteps, earlyStoppingPatience, earlyStoppingThreshold)
        (o.metricForBestModel, o.saveTotalLimit, o.seed, o.dropout, o.classWeights) = (metricForBestModel, saveTotalLimit, seed, dropout, classWeights)
        o.shuffle = noShuffle ? false : nil
        o.groupByLength = groupByLength ? true : nil
        o.precision = precision
        return o
    }

    func run() throws {
        let fromFile = try config.map { try TrainingOverrides(jsonFile: URL(fileURLWithPath: $0)) } ?? TrainingOverrides()
        let arguments = flagOverrides.applied(to: fromFile.applied(to: TrainingArguments()))
        let dataset = try columns.load(data)
        let (trainSet, validationSet) = try split(dataset, seed: arguments.seed)
        let output = URL(fileURLWithPath: outputDir)
        let printer = ProgressPrinter(format: logFormat)

        let trainer: Trainer
        if let resume {
            let checkpoint = URL(fileURLWithPath: resume)
            let classes = try TrainerState.read(from: checkpoint).classes
            trainer = try Trainer.resume(from: checkpoint, train: try labeled(trainSet, classes), validation: try validationSet.map { try labeled($0, classes) },
                                         outputDirectory: output)
            printer.note("resuming \(checkpoint.path) at step \(trainer.state.globalStep) of \(trainer.state.totalSteps)")
        } else {
            let classes = dataset.labels
            let directory = try self.model.directory()
            let model = try BertModel.load(from: directory, classes: classes, head: arguments.head, seed: arguments.seed)
            let tokenizer = try BertTokenizer(directory: directory)
            trainer = try Trainer(model: model, tokenizer: tokenizer, train: try labeled(trainSet, classes),
                                  validation: try validationSet.map { try labeled($0, classes) }, arguments: arguments, outputDirectory: output)
            printer.note("training \(model.parameterCount.formatted()) parameters on \(trainSet.count) texts (\(classes.joined(separator: "/")), \(arguments.head.rawValue) head), \(arguments.evalStrategy == .no ? "no evaluation" : "validating on \(validationSet?.count ?? 0)"); \(trainer.state.totalSteps) updates → \(output.path)")
        }
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        // The split as trained on, so a run can be evaluated, resumed or reproduced elsewhere.
        if validationFile == nil, resume == nil { try trainSet.write(csv: output.appendingPathComponent("train.csv")) }
        try validationSet?.write(csv: output.appendingPathComponent("validation.csv"))
        let state = try trainer.run(onEvent: printer.show)
        printer.finish(state: state, trainer: trainer)
    }

    /// Training and validation sets: a separate validation file, or a stratified split of `dataset`.
    func split(_ dataset: ReviewDataset, seed: UInt64) throws -> (ReviewDataset, ReviewDataset?) {
        if let validationFile { return (dataset, try columns.load(validationFile)) }
        let count = Double(dataset.count)
        let test = testSize < 1 ? Int((testSize * count).rounded()) : Int(testSize)
        let train = trainSize.map { $0 < 1 ? Int(($0 * count).rounded()) : Int($0) } ?? dataset.count - test
        let parts = try dataset.stratifiedSplit(trainSize: train, testSize: test, seed: seed)
        return (parts.train, parts.test)
    }

    func labeled(_ dataset: ReviewDataset, _ classes: [String]) throws -> LabeledTexts {
        LabeledTexts(texts: dataset.texts, labels: try dataset.labelIndices(for: classes))
    }
}

func parseWeights(_ text: String) throws -> [Float] {
    try text.split(separator: ",").map {
        guard let value = Float($0.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("class weights must be numbers separated by commas, got '\(text)'") }
        return value
    }
}

extension LearningRateSchedule.Kind: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension ClassifierHead: ExpressibleByArgument {}
extension TrainingArguments.EvalStrategy: ExpressibleByArgument {}
extension TrainingArguments.Metric: ExpressibleByArgument {}
