import BertSentCore

/// How parameters are updated in a fine-tuning run. Names and defaults follow HF `TrainingArguments`
/// where one exists; the learning rate and weight decay are seed 000's (2e-5, 0.01).
public struct OptimizationSettings: Sendable, Equatable, Codable {
    public var optimizer: OptimizerKind = .adamw
    public var learningRate = 2e-5
    public var weightDecay = 0.01
    public var adamBeta1 = 0.9
    public var adamBeta2 = 0.999
    public var adamEpsilon = 1e-8
    /// Global gradient-norm clipping; 0 turns it off.
    public var maxGradNorm = 1.0
    public var schedule: LearningRateSchedule.Kind = .linear
    public var warmupSteps = 0
    public var warmupRatio = 0.0
    /// Updates the schedule spans (`num_training_steps` of transformers' schedulers); nil is the run's
    /// length. Seed 003 trains 150 updates on a cosine schedule over 100, which past its end rises
    /// again, as transformers' does.
    public var scheduleSteps: Int?
    /// Micro-batches per optimizer update; the update equals one batch of their total size.
    public var gradientAccumulationSteps = 1
    /// A loss weight per class (by label index; two for a sigmoid head), for imbalanced data.
    public var classWeights: [Float]?
    /// Dropout rate for every site while training (hidden states, attention, classifier); nil uses
    /// the config's rates, 0 trains the deterministic network (for step-by-step comparisons).
    public var dropout: Double?
    /// The arithmetic of the encoder's linear products: fp32, or bf16 mixed precision (FP32 weights,
    /// gradients and optimizer state; bf16 operands in the forward and backward products, as
    /// transformers' `bf16=True`). bf16 needs a CPU with AVX-512 BF16.
    public var precision: Precision = .fp32

    public init() {}

    /// Keys missing from the file take their defaults, as in `TrainingArguments`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self), d = OptimizationSettings()
        optimizer = try c.decode(.optimizer, default: d.optimizer)
        learningRate = try c.decode(.learningRate, default: d.learningRate)
        weightDecay = try c.decode(.weightDecay, default: d.weightDecay)
        adamBeta1 = try c.decode(.adamBeta1, default: d.adamBeta1)
        adamBeta2 = try c.decode(.adamBeta2, default: d.adamBeta2)
        adamEpsilon = try c.decode(.adamEpsilon, default: d.adamEpsilon)
        maxGradNorm = try c.decode(.maxGradNorm, default: d.maxGradNorm)
        schedule = try c.decode(.schedule, default: d.schedule)
        warmupSteps = try c.decode(.warmupSteps, default: d.warmupSteps)
        warmupRatio = try c.decode(.warmupRatio, default: d.warmupRatio)
        scheduleSteps = try c.decodeIfPresent(Int.self, forKey: .scheduleSteps)
        gradientAccumulationSteps = try c.decode(.gradientAccumulationSteps, default: d.gradientAccumulationSteps)
        classWeights = try c.decodeIfPresent([Float].self, forKey: .classWeights)
        dropout = try c.decodeIfPresent(Double.self, forKey: .dropout)
        precision = try c.decode(.precision, default: d.precision)
    }

    /// Rejects settings no run could use, naming the setting.
    public func validate(numLabels: Int) throws {
        guard learningRate.isFinite, learningRate > 0 else {
            throw MessageError("learning rate must be a positive finite number, got \(learningRate)")
        }
        guard weightDecay.isFinite, weightDecay >= 0 else { throw MessageError("weight decay must be ≥ 0, got \(weightDecay)") }
        guard (0..<1).contains(adamBeta1), (0..<1).contains(adamBeta2) else {
            throw MessageError("adam betas must be in [0, 1), got \(adamBeta1), \(adamBeta2)")
        }
        guard adamEpsilon > 0 else { throw MessageError("adam epsilon must be positive, got \(adamEpsilon)") }
        guard maxGradNorm.isFinite, maxGradNorm >= 0 else { throw MessageError("max grad norm must be ≥ 0 (0 = off), got \(maxGradNorm)") }
        guard warmupSteps >= 0, (0...1).contains(warmupRatio) else {
            throw MessageError("warmup steps must be ≥ 0 and warmup ratio in [0, 1], got \(warmupSteps), \(warmupRatio)")
        }
        guard precision != .int8 else { throw MessageError("precision int8 is for inference; train in fp32 or bf16") }
        if let dropout, !(0..<1).contains(dropout) { throw MessageError("dropout must be in [0, 1), got \(dropout)") }
        if let scheduleSteps, scheduleSteps < 1 { throw MessageError("schedule steps must be at least 1, got \(scheduleSteps)") }
        guard gradientAccumulationSteps >= 1 else {
            throw MessageError("gradient accumulation steps must be at least 1, got \(gradientAccumulationSteps)")
        }
        if let classWeights {
            let classes = max(2, numLabels)
            guard classWeights.count == classes, classWeights.allSatisfy({ $0.isFinite && $0 >= 0 }), classWeights.contains(where: { $0 > 0 }) else {
                throw MessageError("class weights must be \(classes) non-negative numbers, not all 0, got \(classWeights)")
            }
        }
    }
}
