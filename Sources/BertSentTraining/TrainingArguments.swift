import BertSentCore
import BertSentFormats
import BertSentText
import Foundation

/// Settings of a fine-tuning run. Names follow HF `TrainingArguments` where one exists; defaults are
/// seed 000's recipe (lr 2e-5, batch 8, 3 epochs, weight decay 0.01, max length 256).
public struct TrainingArguments: Sendable, Equatable, Codable {
    public enum EvalStrategy: String, Sendable, Codable, CaseIterable { case no, epoch, steps }
    public enum Metric: String, Sendable, Codable, CaseIterable {
        case accuracy, f1, loss
        /// Loss improves downwards, the others upwards.
        public var greaterIsBetter: Bool { self != .loss }
    }

    public var epochs = 3
    /// When set, the run takes exactly this many optimizer updates (overrides `epochs`).
    public var maxSteps: Int?
    public var batchSize = 8
    public var evalBatchSize = 32
    public var maxLength = BertTokenizer.defaultMaxLength
    public var head: ClassifierHead = .softmax
    public var optimization = OptimizationSettings()
    public var evalStrategy: EvalStrategy = .epoch
    /// Updates between evaluations with the `steps` strategy.
    public var evalSteps = 500
    /// Checkpoints kept besides `best/`; the best one is never deleted. Nil keeps all.
    public var saveTotalLimit: Int? = 2
    /// Evaluations without improvement (by more than the threshold) before stopping; nil never stops early.
    public var earlyStoppingPatience: Int?
    public var earlyStoppingThreshold = 0.0
    public var metricForBestModel: Metric = .accuracy
    public var seed: UInt64 = 42
    /// Reshuffle the training texts every epoch; false keeps file order (for step-by-step comparisons).
    public var shuffle = true
    /// Batch texts of similar length together (HF's `group_by_length`): less padding on data whose
    /// lengths vary, such as IMDB's reviews.
    public var groupByLength = false

    public init() {}

    /// Keys missing from the file (settings added after it was written) take their defaults, so a
    /// checkpoint from an older bertsent still resumes.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self), d = TrainingArguments()
        epochs = try c.decode(.epochs, default: d.epochs)
        maxSteps = try c.decodeIfPresent(Int.self, forKey: .maxSteps)
        batchSize = try c.decode(.batchSize, default: d.batchSize)
        evalBatchSize = try c.decode(.evalBatchSize, default: d.evalBatchSize)
        maxLength = try c.decode(.maxLength, default: d.maxLength)
        head = try c.decode(.head, default: d.head)
        optimization = try c.decode(.optimization, default: d.optimization)
        evalStrategy = try c.decode(.evalStrategy, default: d.evalStrategy)
        evalSteps = try c.decode(.evalSteps, default: d.evalSteps)
        saveTotalLimit = try c.decodeIfPresent(Int.self, forKey: .saveTotalLimit)
        earlyStoppingPatience = try c.decodeIfPresent(Int.self, forKey: .earlyStoppingPatience)
        earlyStoppingThreshold = try c.decode(.earlyStoppingThreshold, default: d.earlyStoppingThreshold)
        metricForBestModel = try c.decode(.metricForBestModel, default: d.metricForBestModel)
        seed = try c.decode(.seed, default: d.seed)
        shuffle = try c.decode(.shuffle, default: d.shuffle)
        groupByLength = try c.decode(.groupByLength, default: d.groupByLength)
    }

    /// Rejects arguments no run can use, naming the argument.
    public func validate(numLabels: Int) throws {
        try optimization.validate(numLabels: numLabels)
        guard batchSize >= 1 else { throw MessageError("batch size must be at least 1, got \(batchSize)") }
        guard evalBatchSize >= 1 else { throw MessageError("eval batch size must be at least 1, got \(evalBatchSize)") }
        guard epochs >= 1 || (maxSteps ?? 0) >= 1 else { throw MessageError("epochs must be at least 1, got \(epochs)") }
        if let maxSteps, maxSteps < 1 { throw MessageError("max steps must be at least 1, got \(maxSteps)") }
        guard maxLength >= 2 else { throw MessageError("max length must be at least 2, got \(maxLength)") }
        guard evalSteps >= 1 else { throw MessageError("eval steps must be at least 1, got \(evalSteps)") }
        if let saveTotalLimit, saveTotalLimit < 1 { throw MessageError("save total limit must be at least 1, got \(saveTotalLimit)") }
        if let earlyStoppingPatience, earlyStoppingPatience < 1 {
            throw MessageError("early stopping patience must be at least 1, got \(earlyStoppingPatience)")
        }
        if earlyStoppingPatience != nil, evalStrategy == .no {
            throw MessageError("early stopping needs evaluations: set an eval strategy (epoch or steps)")
        }
    }
}
