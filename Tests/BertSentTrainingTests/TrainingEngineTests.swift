import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// The training engine on tiny random models: finite differences, accumulation, reproducibility,
/// optimizer formulas and bad input.
@Suite struct TrainingEngineTests {
    /// A tiny model with weights large enough (std 0.3) that every nonlinearity matters.
    func tinyModel(labels: [String], seed: UInt64 = 11) throws -> BertModel {
        var config = tinyConfig(labels: labels, layers: 2, hidden: 16, heads: 2)
        config.initializerRange = 0.3
        config.hiddenDropoutProb = 0.2
        config.attentionProbsDropoutProb = 0.25
        let model = try BertModel(config: config)
        model.initializeRandomly(seed: seed)
        return model
    }

    /// Texts of different lengths, so padding and masking are exercised.
    func batch(_ rows: [[Int32]], labels: [Int]) throws -> TrainingBatch {
        TrainingBatch(
            tokens: try TokenBatch(ids: rows, typeIds: rows.map { $0.indices.map { Int32($0 % 2) } }), labels: labels)
    }

    var fourTexts: [[Int32]] {
        [[101, 7, 8, 9, 10, 102], [101, 20, 102], [101, 30, 31, 32, 33, 34, 35, 102], [101, 40, 41, 102]]
    }

    func engine(
        _ model: BertModel, _ settings: TrainingArguments = TrainingArguments(), seed: UInt64 = 5, steps: Int = 10
    ) throws -> TrainingEngine {
        try TrainingEngine(
            model: model, arguments: settings, totalSteps: steps, maxBatch: 4, maxSequence: 8, seed: seed)
    }

    /// Loss and gradients from a fresh engine, so every call draws the same dropout masks.
    func lossAndGradients(_ model: BertModel, _ batches: [TrainingBatch], dropout: Bool) throws -> (Double, [Float]) {
        var settings = TrainingArguments()
        settings.dropout = dropout ? nil : 0
        let engine = try engine(model, settings)
        let loss = try engine.accumulate(batches)
        return (loss, Array(engine.gradients.buffer))
    }

    /// For each parameter tensor, the directional derivative along a random direction equals the
    /// central difference of the loss: this covers every backward function, dropout included.
    /// Tolerance: float32 central differences at ε = 0.01 err by up to ~2e-4 (curvature) here.
    @Test(arguments: [["negative", "positive"], ["positive"], ["a", "b", "c"]])
    func gradientsMatchFiniteDifferences(labels: [String]) throws {
        let model = try tinyModel(labels: labels)
        let classes = max(2, labels.count)
        let batches = [try batch(fourTexts, labels: (0..<4).map { $0 % classes })]
        let (_, gradients) = try lossAndGradients(model, batches, dropout: true)
        var generator = SeededGenerator(seed: 99)
        let epsilon: Float = 1e-2
        for spec in model.layout.tensors {
            let direction = (0..<spec.count).map { _ in generator.nextNormal() }
            let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let u = direction.map { $0 / norm }
            let values = model.parameters[spec.range]
            let saved = Array(values)
            func loss(at scale: Float) throws -> Double {
                for i in values.indices { values[i] = saved[i] + scale * u[i] }
                return try lossAndGradients(model, batches, dropout: true).0
            }
            let numeric = (try loss(at: epsilon) - loss(at: -epsilon)) / Double(2 * epsilon)
            for i in values.indices { values[i] = saved[i] }
            let analytic = zip(gradients[spec.range], u).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            #expect(
                abs(numeric - analytic) <= 5e-5 + 2e-3 * abs(analytic),
                "\(spec.name): finite difference \(numeric) vs backward \(analytic)")
        }
    }

    /// Two micro-batches of two (different lengths) accumulate to the gradients and update of one
    /// batch of four.
    @Test(arguments: [["negative", "positive"], ["positive"]])
    func accumulationEqualsTheLargeBatch(labels: [String]) throws {
        let labels4 = [1, 0, 0, 1]
        var settings = TrainingArguments()
        settings.dropout = 0
        settings.learningRate = 1e-3
        let whole = try tinyModel(labels: labels), split = try tinyModel(labels: labels)
        let wholeEngine = try engine(whole, settings)
        settings.gradientAccumulationSteps = 2
        let splitEngine = try engine(split, settings)
        let one = [try batch(fourTexts, labels: labels4)]
        let two = [
            try batch([fourTexts[0], fourTexts[1]], labels: [1, 0]),
            try batch([fourTexts[2], fourTexts[3]], labels: [0, 1]),
        ]
        #expect(two[0].tokens.length != two[1].tokens.length)
        let lossOne = try wholeEngine.accumulate(one), lossTwo = try splitEngine.accumulate(two)
        #expect(abs(lossOne - lossTwo) <= 1e-6)
        let g1 = Array(wholeEngine.gradients.buffer), g2 = Array(splitEngine.gradients.buffer)
        let scale = g1.reduce(0) { max($0, abs($1)) }
        #expect(maxAbsDiff(g1, g2) <= 1e-5 * scale, "gradients differ by \(maxAbsDiff(g1, g2)) (max |g| \(scale))")
        wholeEngine.gradients.zero()
        splitEngine.gradients.zero()
        try wholeEngine.step(one)
        try splitEngine.step(two)
        // Adam's first update is lr · g/(|g| + ε), about lr · sign(g): equal wherever the gradient stands
        // clear of the two paths' rounding (1e-5 · scale, checked above); where it is rounding noise its
        // sign is too (which BLAS kernel runs decides it), so those updates are only bounded by 2 · lr.
        let p1 = Array(whole.parameters.buffer), p2 = Array(split.parameters.buffer)
        let clear = g1.indices.filter { abs(g1[$0]) > 1e-4 * scale }
        #expect(clear.count > g1.count / 2, "most gradients stand clear of rounding")
        #expect(maxAbsDiff(clear.map { p1[$0] }, clear.map { p2[$0] }) <= 1e-6)
        #expect(maxAbsDiff(p1, p2) <= 2 * 1e-3 + 1e-6)
    }

    /// Padding a batch to the longest text or to the maximum length gives the same loss and gradients:
    /// padded positions are masked out of attention and get no gradient.
    @Test func paddingToMaxLengthChangesNothing() throws {
        let model = try tinyModel(labels: ["negative", "positive"])
        let short = try batch(Array(fourTexts.prefix(2)), labels: [1, 0])
        let long = TrainingBatch(
            tokens: try TokenBatch(
                ids: Array(fourTexts.prefix(2)), typeIds: fourTexts.prefix(2).map { $0.indices.map { Int32($0 % 2) } },
                padTo: 8), labels: [1, 0])
        #expect(short.tokens.length == 6 && long.tokens.length == 8)
        let (lossShort, gradShort) = try lossAndGradients(model, [short], dropout: false)
        let (lossLong, gradLong) = try lossAndGradients(model, [long], dropout: false)
        #expect(abs(lossShort - lossLong) <= 1e-6)
        let scale = gradShort.reduce(0) { max($0, abs($1)) }
        #expect(maxAbsDiff(gradShort, gradLong) <= 1e-5 * scale)
    }

    /// The same seed and thread count give bit-identical losses with dropout on; another seed does not.
    @Test func aSeedReproducesARunExactly() throws {
        func run(seed: UInt64) throws -> [Double] {
            let engine = try engine(try tinyModel(labels: ["negative", "positive"]), seed: seed)
            return try (0..<4).map { _ in try engine.step([try batch(fourTexts, labels: [1, 0, 0, 1])]).loss }
        }
        let first = try run(seed: 1)
        #expect(try run(seed: 1) == first)
        #expect(try run(seed: 2) != first)
    }

    /// Dropout off in evaluation: the same text gives the same logits twice; in training it does not.
    @Test func dropoutOnlyWhileTraining() throws {
        let model = try tinyModel(labels: ["negative", "positive"])
        let tokens = try batch(fourTexts, labels: [1, 0, 0, 1]).tokens
        let acts = try Activations(config: model.config, maxBatch: 4, maxSequence: 8, training: true)
        let a = try model.forward(tokens, acts: acts), b = try model.forward(tokens, acts: acts)
        #expect(a == b)
        let c = try model.forward(tokens, acts: acts, dropout: DropoutPlan(config: model.config, seeds: [1, 2, 3, 4]))
        let d = try model.forward(tokens, acts: acts, dropout: DropoutPlan(config: model.config, seeds: [5, 6, 7, 8]))
        #expect(c != a && c != d)
        #expect(
            try model.forward(tokens, acts: acts, dropout: DropoutPlan(config: model.config, seeds: [1, 2, 3, 4])) == c)
    }

    /// Activations no machine could hold are an error naming the cause, not a crash; so is a buffer
    /// whose byte count overflows.
    @Test func impossibleActivationsAreAnError() throws {
        let model = try tinyModel(labels: ["negative", "positive"])
        #expect {
            try Activations(config: model.config, maxBatch: 1 << 20, maxSequence: 1 << 20, training: true)
        } throws: {
            "\($0)".contains("out of memory")
        }
        #expect { try FloatBuffer(count: Int.max / 2) } throws: { "\($0)".contains("out of memory") }
    }

    /// `releasePages` really gives pages back: a filled buffer's interior reads as zero afterwards.
    @Test func releasedPagesReadAsZero() throws {
        let buffer = try FloatBuffer(count: 1 << 16)
        buffer.pointer.update(repeating: 1, count: buffer.count)
        buffer.releasePages()
        let pageFloats = Int(sysconf(Int32(_SC_PAGESIZE))) / MemoryLayout<Float>.stride
        // Whole pages lie between one page in and one page before the end, whatever the alignment.
        #expect(buffer[pageFloats..<(buffer.count - pageFloats)].allSatisfy { $0 == 0 })
    }

    /// Releasing the activations' memory between steps, as the trainer does before each evaluation,
    /// changes nothing: every step writes what it reads. 32 texts, so the parts of the buffers a step
    /// uses span whole pages that are really released.
    @Test func releasingActivationMemoryBetweenStepsChangesNothing() throws {
        var settings = TrainingArguments()
        settings.learningRate = 1e-3
        let texts = (0..<32).map { fourTexts[$0 % 4] }, labels = (0..<32).map { $0 % 2 }
        let kept = try tinyModel(labels: ["negative", "positive"]),
            released = try tinyModel(labels: ["negative", "positive"])
        let keptEngine = try TrainingEngine(
            model: kept, arguments: settings, totalSteps: 3, maxBatch: 32, maxSequence: 8, seed: 5)
        let releasedEngine = try TrainingEngine(
            model: released, arguments: settings, totalSteps: 3, maxBatch: 32, maxSequence: 8, seed: 5)
        for _ in 0..<3 {
            let a = try keptEngine.step([try batch(texts, labels: labels)])
            releasedEngine.releaseActivationMemory()
            let b = try releasedEngine.step([try batch(texts, labels: labels)])
            #expect(a.loss == b.loss && a.gradientNorm == b.gradientNorm)
        }
        #expect(Array(kept.parameters.buffer) == Array(released.parameters.buffer))
    }

    /// One Adam (L2) and one AdamW update from zero moments: p − lr·g'/(|g'| + ε) with g' = g + wd·p
    /// for Adam; for AdamW p·(1 − lr·wd) − lr·g/(|g| + ε); decay skipped for biases and LayerNorm.
    @Test(arguments: OptimizerKind.allCases)
    func firstUpdateFollowsTorchsFormula(kind: OptimizerKind) throws {
        var settings = TrainingArguments()
        settings.optimizer = kind
        settings.dropout = 0
        settings.learningRate = 1e-2
        settings.weightDecay = 0.1
        settings.maxGradNorm = 0
        settings.schedule = .constant
        settings.warmupRatio = 0  // the full rate at the first update
        let model = try tinyModel(labels: ["negative", "positive"])
        let before = Array(model.parameters.buffer)
        let engine = try engine(model, settings)
        let batches = [try batch(fourTexts, labels: [1, 0, 0, 1])]
        _ = try engine.accumulate(batches)
        let g = Array(engine.gradients.buffer)
        engine.gradients.zero()
        try engine.step(batches)
        let lr: Float = 1e-2, eps: Float = 1e-8  // ε is added after the bias-corrected root
        for spec in model.layout.tensors {
            let wd: Float = spec.decays ? 0.1 : 0
            for i in spec.range {
                let p = before[i]
                let expected =
                    kind == .adam
                    ? p - lr * (g[i] + wd * p) / (abs(g[i] + wd * p) + eps)
                    : p * (1 - lr * wd) - lr * g[i] / (abs(g[i]) + eps)
                #expect(
                    abs(model.parameters.pointer[i] - expected) <= 1e-6 + 1e-5 * abs(expected),
                    "\(spec.name)[\(i - spec.offset)]")
            }
        }
        #expect(model.layout.spec(named: "bert.encoder.layer.0.attention.output.LayerNorm.weight")?.decays == false)
        #expect(model.layout.spec(named: "bert.embeddings.word_embeddings.weight")?.decays == true)
    }

    @Test func schedulesFollowTransformers() {
        let linear = LearningRateSchedule(kind: .linear, peak: 1, totalSteps: 10, warmupSteps: 4)
        let expected: [Double] = [0, 0.25, 0.5, 0.75, 1, 5 / 6, 4 / 6, 3 / 6, 2 / 6, 1 / 6, 0]
        let factors = (0..<11).map { linear.factor(step: $0) }
        #expect(maxAbsDiff(factors.map(Float.init), expected.map(Float.init)) < 1e-7)
        let cosine = LearningRateSchedule(kind: .cosine, peak: 5e-5, totalSteps: 100, warmupSteps: 10)
        #expect(cosine.rate(step: 5) == 2.5e-5)
        #expect(abs(cosine.factor(step: 55) - 0.5) < 1e-12)
        #expect(abs(cosine.factor(step: 100)) < 1e-12)
        let constant = LearningRateSchedule(kind: .constant, peak: 1, totalSteps: 10, warmupRatio: 0.25)
        #expect(constant.warmupSteps == 3)  // ceil(2.5)
        #expect(constant.factor(step: 1) == 1.0 / 3 && constant.factor(step: 9) == 1)
    }

    /// A schedule shorter than the run goes on past its end as transformers' does: cosine rises again.
    @Test func scheduleStepsCanDifferFromTheRun() throws {
        var settings = TrainingArguments()
        settings.dropout = 0
        settings.schedule = .cosine
        settings.warmupSteps = 1
        settings.scheduleSteps = 3
        settings.learningRate = 1e-3
        let engine = try engine(try tinyModel(labels: ["negative", "positive"]), settings, steps: 6)
        let rates = try (0..<6).map { _ in try engine.step([try batch(fourTexts, labels: [1, 0, 0, 1])]).learningRate }
        let expected = [0, 1e-3, 5e-4, 0, 5e-4, 1e-3]
        #expect(zip(rates, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(rates)")
    }

    /// A gradient clipped to 1 has norm 1; the reported norm is the one before clipping.
    @Test func clippingBoundsTheGlobalNorm() throws {
        var settings = TrainingArguments()
        settings.dropout = 0
        settings.maxGradNorm = 0.01
        let engine = try engine(try tinyModel(labels: ["negative", "positive"]), settings)
        let result = try engine.step([try batch(fourTexts, labels: [1, 0, 0, 1])])
        #expect(result.gradientNorm > 0.01)
    }

    @Test func badSettingsAndLabelsAreRejected() throws {
        let model = try tinyModel(labels: ["negative", "positive"])
        func rejected(_ change: (inout TrainingArguments) -> Void, _ setting: String) {
            var arguments = TrainingArguments()
            change(&arguments)
            #expect {
                try TrainingEngine(
                    model: model, arguments: arguments, totalSteps: 5, maxBatch: 4, maxSequence: 8, seed: 0)
            } throws: {
                guard case .outOfRange(setting, _, _) = $0 as? SettingsError else { return false }
                return true
            }
        }
        rejected({ $0.learningRate = 0 }, "learning_rate")
        rejected({ $0.learningRate = -1 }, "learning_rate")
        rejected({ $0.learningRate = .nan }, "learning_rate")
        rejected({ $0.learningRate = .infinity }, "learning_rate")
        rejected({ $0.gradientAccumulationSteps = 0 }, "gradient_accumulation_steps")
        rejected({ $0.classWeights = [1] }, "class_weights")
        rejected({ $0.warmupRatio = 2 }, "warmup_ratio")
        #expect {
            try TrainingEngine(
                model: model, arguments: TrainingArguments(), totalSteps: 5, maxBatch: 0, maxSequence: 8, seed: 0)
        } throws: {
            ($0 as? TrainingError) == .invalidBatchSize(0)
        }
        let engine = try engine(model)
        #expect { try engine.step([try batch(fourTexts, labels: [1, 0, 2, 1])]) } throws: {
            ($0 as? TrainingError) == .labelOutOfRange(2, classes: 2)
        }
        #expect { try engine.step([try batch(fourTexts, labels: [1, 0])]) } throws: {
            ($0 as? TrainingError) == .labelCountMismatch(texts: 4, labels: 2)
        }
    }

    /// A loss that becomes NaN stops the run with the step named, and the parameters stay as they were.
    @Test func nonFiniteLossKeepsTheLastGoodState() throws {
        let model = try tinyModel(labels: ["negative", "positive"])
        let engine = try engine(model)
        let batches = [try batch(fourTexts, labels: [1, 0, 0, 1])]
        try engine.step(batches)
        model.tensor(named: "classifier.bias")![0] = .nan
        let before = Array(model.parameters.buffer)
        #expect { try engine.step(batches) } throws: {
            ($0 as? TrainingError) == .nonFinite(step: 2, quantity: "loss", value: "nan")
                && "\($0)".contains("after step 1")
        }
        let after = Array(model.parameters.buffer)
        #expect(zip(before, after).allSatisfy { $0.bitPattern == $1.bitPattern })
        #expect(engine.optimizer.step == 1)
    }

    /// Class weights make the loss a weighted mean, as torch's CrossEntropyLoss(weight=…).
    @Test func classWeightsGiveAWeightedMean() throws {
        let model = try tinyModel(labels: ["negative", "positive"])
        var settings = TrainingArguments()
        settings.dropout = 0
        let plain = try engine(model, settings).accumulate([try batch(fourTexts, labels: [1, 0, 0, 0])])
        settings.classWeights = [1, 1]
        #expect(
            abs(try engine(model, settings).accumulate([try batch(fourTexts, labels: [1, 0, 0, 0])]) - plain) < 1e-9)
        settings.classWeights = [0, 1]  // only the positive text counts
        let positiveOnly = try engine(model, settings).accumulate([try batch(fourTexts, labels: [1, 0, 0, 0])])
        settings.classWeights = nil
        let single = try engine(model, settings).accumulate([try batch([fourTexts[0]], labels: [1])])
        #expect(abs(positiveOnly - single) < 1e-6)
    }
}
