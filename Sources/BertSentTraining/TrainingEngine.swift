import BertSentCore
import BertSentModel

/// Turns batches into parameter updates: forward, loss, backward over each micro-batch (gradients
/// accumulate), then clipping, the schedule's learning rate and one optimizer update. All buffers are
/// allocated once, for the largest batch it will see; steps allocate nothing large.
package final class TrainingEngine {
    package let model: BertModel
    package let arguments: TrainingArguments
    package let schedule: LearningRateSchedule
    package let optimizer: Optimizer
    let acts: Activations
    let grads: FloatBuffer
    /// Draws each micro-batch's dropout seed.
    package internal(set) var generator: SeededGenerator

    /// - Parameters:
    ///   - totalSteps: optimizer updates the schedule spans.
    ///   - maxBatch, maxSequence: the largest micro-batch, in texts and tokens.
    ///   - kernels: whose bf16 kernel bf16 training runs on.
    package init(
        model: BertModel, arguments: TrainingArguments, totalSteps: Int, maxBatch: Int, maxSequence: Int, seed: UInt64,
        kernels: KernelSet = .active
    ) throws {
        try arguments.validate(numLabels: model.config.numLabels)
        guard maxBatch >= 1 else { throw TrainingError.invalidBatchSize(maxBatch) }
        guard totalSteps >= 1 else { throw TrainingError.noUpdates(totalSteps) }
        guard (2...model.config.maxPositionEmbeddings).contains(maxSequence) else {
            throw TrainingError.maxLengthOutOfRange(maxSequence, modelLimit: model.config.maxPositionEmbeddings)
        }
        self.model = model
        self.arguments = arguments
        schedule = LearningRateSchedule(
            kind: arguments.schedule, peak: arguments.learningRate, totalSteps: arguments.scheduleSteps ?? totalSteps,
            warmupSteps: arguments.warmupSteps, warmupRatio: arguments.warmupRatio)
        optimizer = try Optimizer(
            kind: arguments.optimizer, layout: model.layout, weightDecay: Float(arguments.weightDecay),
            beta1: Float(arguments.adamBeta1), beta2: Float(arguments.adamBeta2), epsilon: Float(arguments.adamEpsilon),
            layerwiseDecay: Float(arguments.layerwiseLrDecay))
        acts = try Activations(
            config: model.config, maxBatch: maxBatch, maxSequence: maxSequence, training: true,
            precision: arguments.precision, kernels: kernels)
        grads = try FloatBuffer(count: model.layout.count)
        generator = SeededGenerator(seed: seed)
    }

    /// The gradient buffer after `accumulate` (laid out as the parameters).
    package var gradients: FloatBuffer { grads }

    /// Gives the activations' pages back to the system between steps (their contents are dead then),
    /// so an evaluation's activations do not add to them at the run's peak resident memory; the next
    /// step faults them back in.
    package func releaseActivationMemory() { acts.releasePages() }

    /// One optimizer update from the micro-batches of one global batch. On a non-finite loss or
    /// gradient it throws before touching the parameters, which keep the last good state.
    @discardableResult
    package func step(_ microBatches: [TrainingBatch]) throws -> StepResult {
        let loss = try accumulate(microBatches)
        let (norm, gradScale) = gradientClipping(grads, layout: model.layout, maxNorm: Float(arguments.maxGradNorm))
        let update = optimizer.step + 1
        guard loss.isFinite, norm.isFinite else {
            grads.zero()
            throw TrainingError.nonFinite(
                step: update, quantity: loss.isFinite ? "gradient norm" : "loss",
                value: loss.isFinite ? norm.description : loss.description)
        }
        let lr = schedule.rate(step: optimizer.step)
        optimizer.update(
            parameters: model.parameters, grads: grads, gradScale: gradScale, layout: model.layout, lr: Float(lr))
        return StepResult(step: optimizer.step, loss: loss, learningRate: lr, gradientNorm: norm)
    }

    /// Forward and backward over every micro-batch, adding their gradients of the global batch's
    /// mean loss into `gradients`; returns that loss. Does not update the parameters.
    package func accumulate(_ microBatches: [TrainingBatch]) throws -> Double {
        let numLabels = model.config.numLabels
        let classes = max(2, numLabels)
        let allLabels = microBatches.flatMap(\.labels)
        guard !allLabels.isEmpty else { throw TrainingError.emptyStep }
        if let bad = allLabels.first(where: { !(0..<classes).contains($0) }) {
            throw TrainingError.labelOutOfRange(bad, classes: classes)
        }
        let denominator = ClassificationLoss.denominator(labels: allLabels, classWeights: arguments.classWeights)
        var loss = 0.0
        for micro in microBatches {
            guard micro.labels.count == micro.tokens.size else {
                throw TrainingError.labelCountMismatch(texts: micro.tokens.size, labels: micro.labels.count)
            }
            let dropout =
                arguments.dropout == 0
                ? nil : DropoutPlan(config: model.config, seed: generator.next(), rate: arguments.dropout)
            try model.forward(micro.tokens, acts: acts, dropout: dropout)
            loss += ClassificationLoss.evaluate(
                logits: acts.logits.pointer, labels: micro.labels, numLabels: numLabels,
                classWeights: arguments.classWeights, denominator: denominator,
                dlogits: acts.gradients!.logits.pointer)
            model.backward(micro.tokens, acts: acts, grads: grads, dropout: dropout)
        }
        return loss
    }
}
