import BertSentCore
import BertSentFormats
import BertSentText
import Foundation

/// Every setting of a fine-tuning run, declared once in `settings`: the JSON config file, the command
/// line, the run's saved state (`trainer_state.json`) and the report all read that table. Names follow
/// Hugging Face's `TrainingArguments` where it has the setting; the defaults are a recipe that works
/// for sentiment on movie reviews, measured on IMDB (README, "The full IMDB"): 2 epochs, lr 5e-5 with 10%
/// warmup, batch 8, weight decay 0.01, 256 tokens keeping the head and tail of longer texts,
/// length-grouped batches.
public struct TrainingArguments: Configurable {
    /// When the validation set is evaluated.
    public enum EvalStrategy: String, Sendable, Codable, CaseIterable, SettingValue { case no, epoch, steps }
    /// What picks `best/` and drives early stopping.
    public enum Metric: String, Sendable, Codable, CaseIterable, SettingValue {
        case accuracy, f1, loss
        /// Loss improves downwards, the others upwards.
        public var greaterIsBetter: Bool { self != .loss }
    }

    // The run
    /// Passes over the training texts.
    public var epochs = 2
    /// Stop after exactly this many optimizer updates, overriding `epochs`; nil runs every epoch.
    public var maxSteps: Int?
    /// Texts per micro-batch.
    public var batchSize = 8
    /// Texts per batch when evaluating.
    public var evalBatchSize = 32
    /// Tokens texts are truncated to, special tokens included.
    public var maxLength = BertTokenizer.defaultMaxLength
    /// Which tokens of a longer text are kept: its head, its tail, or both (the middle cut).
    public var truncation: TruncationSide = .headTail
    /// The tokens `head_tail` keeps from the start; nil: a quarter of those kept.
    public var truncationHead: Int?
    /// How the classifier scores classes: softmax, or sigmoid for two classes.
    public var head: ClassifierHead = .softmax
    /// Seeds the split, the new head, dropout and the data order.
    public var seed: UInt64 = 42
    /// Whether the training texts are reshuffled every epoch; off keeps file order.
    public var shuffle = true
    /// Whether texts of similar length are batched together, for less padding.
    public var groupByLength = true
    // The optimizer and its schedule
    /// `adamw` (decoupled weight decay) or `adam` (L2 in the gradient).
    public var optimizer: OptimizerKind = .adamw
    /// The peak learning rate.
    public var learningRate = 5e-5
    /// Weight decay, not applied to biases and LayerNorm weights.
    public var weightDecay = 0.01
    /// Layer-wise learning-rate decay: each encoder layer learns at the rate of the one above it times
    /// this, the embeddings lowest, the pooler and classifier at the full rate; 1 turns it off.
    public var layerwiseLrDecay = 1.0
    /// Adam's decay of the first moment.
    public var adamBeta1 = 0.9
    /// Adam's decay of the second moment.
    public var adamBeta2 = 0.999
    /// Added to the square root of Adam's second moment.
    public var adamEpsilon = 1e-8
    /// The global gradient norm is clipped to this; 0 turns clipping off.
    public var maxGradNorm = 1.0
    /// The learning rate's decay after warmup (`lr_scheduler`).
    public var schedule: LearningRateSchedule.Kind = .linear
    /// Updates of linear warmup.
    public var warmupSteps = 0
    /// Warmup as a share of all updates, rounded up; used when `warmupSteps` is 0.
    public var warmupRatio = 0.1
    /// Updates the schedule spans, if not the whole run (transformers' `num_training_steps`).
    public var scheduleSteps: Int?
    /// Micro-batches per optimizer update.
    public var gradientAccumulationSteps = 1
    /// A loss weight per class in label order; nil weighs every class 1.
    public var classWeights: [Float]?
    /// The dropout rate at every site while training; nil keeps the model config's rates.
    public var dropout: Double?
    /// fp32, or bf16 mixed precision: bf16 operands in the encoder's products, FP32 weights and optimizer.
    public var precision: Precision = .fp32
    // Evaluation, checkpoints and early stopping
    /// When the validation set is evaluated: each epoch, every `evalSteps` updates, or never.
    public var evalStrategy: EvalStrategy = .epoch
    /// Updates between evaluations with the `steps` strategy.
    public var evalSteps = 500
    /// The precision of those evaluations (fp32, bf16 or int8); nil evaluates in `precision`.
    public var evalPrecision: Precision?
    /// Checkpoints kept besides `best/`; nil keeps all.
    public var saveTotalLimit: Int? = 2
    /// Stop after this many evaluations without improvement; nil never stops early.
    public var earlyStoppingPatience: Int?
    /// The least improvement of the metric that counts as one.
    public var earlyStoppingThreshold = 0.0
    /// What picks `best/` and drives early stopping.
    public var metricForBestModel: Metric = .accuracy

    /// Every setting at its default.
    public init() {}

    /// What a run saved before some settings existed ran with: those settings at the values that do
    /// what bertsent did before them (no length grouping, no warmup ratio, the head kept, one learning
    /// rate), whatever their defaults are now. `TrainerState.read` fills a saved state's missing keys
    /// from this, so such a run resumes as it ran.
    static var asRunBeforeNewerSettings: TrainingArguments {
        var arguments = TrainingArguments()
        arguments.groupByLength = false
        arguments.warmupRatio = 0
        arguments.truncation = .head
        arguments.truncationHead = nil
        arguments.layerwiseLrDecay = 1
        return arguments
    }

    /// Every setting, with its name and help: the config file, command line, saved state and report read it.
    public static let settings: [Setting<TrainingArguments>] = [
        Setting("epochs", \.epochs, help: "Passes over the training texts."),
        Setting("max_steps", \.maxSteps, help: "Stop after exactly this many optimizer updates (overrides epochs)."),
        Setting("batch_size", \.batchSize, help: "Texts per micro-batch."),
        Setting("eval_batch_size", \.evalBatchSize, help: "Texts per batch when evaluating."),
        Setting("max_length", \.maxLength, help: "Truncate texts to this many tokens, special tokens included."),
        Setting(
            "truncation", \.truncation,
            help:
                "Which tokens of a longer text are kept: head, tail, or head_tail (the middle is cut); saved with the model."
        ),
        Setting(
            "truncation_head", \.truncationHead,
            help: "Tokens head_tail keeps from the start (none: a quarter of those kept, 128 of 510 at 512)."),
        Setting("head", \.head, help: "softmax (one logit per class) or sigmoid (one logit, two classes)."),
        Setting("seed", \.seed, help: "Seeds the split, the new head, dropout and the data order."),
        Setting("shuffle", \.shuffle, help: "Reshuffle the training texts every epoch (off keeps file order)."),
        Setting(
            "group_by_length", \.groupByLength,
            help: "Batch texts of similar length together: less padding on data whose lengths vary."),
        Setting("optimizer", \.optimizer, help: "adamw (decoupled weight decay) or adam (L2 in the gradient)."),
        Setting("learning_rate", \.learningRate, help: "Peak learning rate."),
        Setting("weight_decay", \.weightDecay, help: "Weight decay; not applied to biases and LayerNorm weights."),
        Setting(
            "layerwise_lr_decay", \.layerwiseLrDecay,
            help: "Each layer's learning rate is the one above it times this (embeddings lowest); 1 turns it off."),
        Setting("adam_beta1", \.adamBeta1, help: "Adam's decay of the first moment."),
        Setting("adam_beta2", \.adamBeta2, help: "Adam's decay of the second moment."),
        Setting("adam_epsilon", \.adamEpsilon, help: "Added to the second moment's square root."),
        Setting("max_grad_norm", \.maxGradNorm, help: "Clip the global gradient norm to this; 0 turns clipping off."),
        Setting("lr_scheduler", \.schedule, help: "The learning rate's decay after warmup."),
        Setting("warmup_steps", \.warmupSteps, help: "Updates of linear warmup."),
        Setting(
            "warmup_ratio", \.warmupRatio,
            help: "Warmup as a share of all updates, rounded up; used when warmup_steps is 0."),
        Setting(
            "lr_schedule_steps", \.scheduleSteps,
            help: "Updates the schedule spans, if not the whole run (transformers' num_training_steps)."),
        Setting(
            "gradient_accumulation_steps", \.gradientAccumulationSteps,
            help: "Micro-batches per update; an update equals one batch of their total size."),
        Setting("class_weights", \.classWeights, help: "A loss weight per class in label order, e.g. 1,3."),
        Setting(
            "dropout", \.dropout,
            help: "Dropout rate at every site while training; 0 turns it off (none: the model config's rates)."),
        Setting(
            "precision", \.precision,
            help: "fp32, or bf16 mixed precision: bf16 operands in the encoder's products, FP32 weights and optimizer."),
        Setting("eval_strategy", \.evalStrategy, help: "Evaluate each epoch, every eval_steps updates, or no."),
        Setting("eval_steps", \.evalSteps, help: "Updates between evaluations with the steps strategy."),
        Setting(
            "eval_precision", \.evalPrecision,
            help: "Precision of the evaluations during training: fp32, bf16 or int8 (none: the training precision)."),
        Setting("save_total_limit", \.saveTotalLimit, help: "Checkpoints kept besides best/ (none keeps all)."),
        Setting(
            "early_stopping_patience", \.earlyStoppingPatience,
            help: "Stop after this many evaluations without improvement (none never stops early)."),
        Setting(
            "early_stopping_threshold", \.earlyStoppingThreshold, help: "Improvement smaller than this does not count."),
        Setting("metric_for_best_model", \.metricForBestModel, help: "Picks best/ and drives early stopping."),
    ]

    /// Rejects settings no run can use, naming the setting.
    public func validate(numLabels: Int) throws {
        let require = SettingsError.require
        try require(epochs >= 1 || (maxSteps ?? 0) >= 1, "epochs", epochs, "at least 1")
        if let maxSteps { try require(maxSteps >= 1, "max_steps", maxSteps, "at least 1") }
        try require(batchSize >= 1, "batch_size", batchSize, "at least 1")
        try require(evalBatchSize >= 1, "eval_batch_size", evalBatchSize, "at least 1")
        try require(maxLength >= 2, "max_length", maxLength, "at least 2")
        try require(
            layerwiseLrDecay > 0 && layerwiseLrDecay <= 1, "layerwise_lr_decay", layerwiseLrDecay, "in (0, 1]")
        if let truncationHead {
            try require(
                truncationHead >= 0 && truncationHead <= maxLength - 2, "truncation_head", truncationHead,
                "between 0 and max_length − 2 (\(maxLength - 2))")
        }
        try require(
            learningRate.isFinite && learningRate > 0, "learning_rate", learningRate, "a positive finite number")
        try require(weightDecay.isFinite && weightDecay >= 0, "weight_decay", weightDecay, "≥ 0")
        try require((0..<1).contains(adamBeta1), "adam_beta1", adamBeta1, "in [0, 1)")
        try require((0..<1).contains(adamBeta2), "adam_beta2", adamBeta2, "in [0, 1)")
        try require(adamEpsilon > 0, "adam_epsilon", adamEpsilon, "positive")
        try require(
            maxGradNorm.isFinite && maxGradNorm >= 0, "max_grad_norm", maxGradNorm, "≥ 0 (0 turns clipping off)")
        try require(warmupSteps >= 0, "warmup_steps", warmupSteps, "≥ 0")
        try require((0...1).contains(warmupRatio), "warmup_ratio", warmupRatio, "in [0, 1]")
        if let scheduleSteps { try require(scheduleSteps >= 1, "lr_schedule_steps", scheduleSteps, "at least 1") }
        try require(
            gradientAccumulationSteps >= 1, "gradient_accumulation_steps", gradientAccumulationSteps, "at least 1")
        try require(precision != .int8, "precision", precision.rawValue, "fp32 or bf16 (int8 is for inference)")
        if let dropout { try require((0..<1).contains(dropout), "dropout", dropout, "in [0, 1)") }
        if let classWeights {
            let classes = max(2, numLabels)
            try require(
                classWeights.count == classes && classWeights.allSatisfy { $0.isFinite && $0 >= 0 }
                    && classWeights.contains { $0 > 0 },
                "class_weights", classWeights.settingText, "\(classes) non-negative numbers, not all 0")
        }
        try require(evalSteps >= 1, "eval_steps", evalSteps, "at least 1")
        if let saveTotalLimit { try require(saveTotalLimit >= 1, "save_total_limit", saveTotalLimit, "at least 1") }
        if let earlyStoppingPatience {
            try require(earlyStoppingPatience >= 1, "early_stopping_patience", earlyStoppingPatience, "at least 1")
            if evalStrategy == .no {
                throw SettingsError.conflict(
                    setting: "early_stopping_patience", with: "eval_strategy",
                    reason: "early stopping needs evaluations (strategy epoch or steps)")
            }
        }
    }
}

extension ClassifierHead: SettingValue {}
extension Precision: SettingValue {}
extension OptimizerKind: SettingValue {}
extension LearningRateSchedule.Kind: SettingValue {}
extension TruncationSide: SettingValue {}
