import BertSentCore
import BertSentModel
import Foundation

/// Turns batches into parameter updates: forward, loss, backward over each micro-batch (gradients
/// accumulate), then clipping, the schedule's learning rate and one optimizer update. All buffers are
/// allocated once, for the largest batch it will see; steps allocate nothing large. With a group of
/// several ranks each computes its share of the global batch, the gradients and the loss are summed over
/// the ranks, and every rank makes the same update.
package final class TrainingEngine {
    package let model: BertModel
    package let arguments: TrainingArguments
    package let schedule: LearningRateSchedule
    package let optimizer: Optimizer
    let acts: Activations
    let grads: FloatBuffer
    /// With the step and each text's key, seeds the dropout masks.
    let dropoutSeed: UInt64
    /// The ranks that share each step (this process alone outside mpirun).
    package let group: ProcessGroup
    /// The loss of batches that carry a teacher's logits.
    let distillation: DistillationLoss?

    /// - Parameters:
    ///   - totalSteps: optimizer updates the schedule spans.
    ///   - maxBatch, maxSequence: the largest micro-batch, in texts and tokens.
    ///   - distillation: the loss of batches with a teacher's logits.
    ///   - seed: seeds the dropout masks, with each step and text.
    ///   - kernels: whose bf16 kernel bf16 training runs on.
    ///   - group: the ranks that share each step.
    package init(
        model: BertModel, arguments: TrainingArguments, totalSteps: Int, maxBatch: Int, maxSequence: Int, seed: UInt64,
        distillation: DistillationLoss? = nil, kernels: KernelSet = .active, group: ProcessGroup = .single
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
        dropoutSeed = seed
        self.distillation = distillation
        self.group = group
    }

    /// The gradient buffer after `accumulate` (laid out as the parameters).
    package var gradients: FloatBuffer { grads }

    /// Gives the activations' pages back to the system between steps (their contents are dead then),
    /// so an evaluation's activations do not add to them at the run's peak resident memory; the next
    /// step faults them back in.
    package func releaseActivationMemory() { acts.releasePages() }

    /// One optimizer update from the micro-batches of one global batch. On a non-finite loss or
    /// gradient it throws before touching the parameters, which keep the last good state. With several
    /// ranks, `microBatches` are this rank's shares (which may be empty) and `globalLabels` the labels of
    /// the whole global batch, whose mean loss every rank's gradients are part of.
    @discardableResult
    package func step(_ microBatches: [TrainingBatch], globalLabels: [Int]? = nil) throws -> StepResult {
        var loss = try accumulate(microBatches, globalLabels: globalLabels)
        var allReduceSeconds: Double?
        if group.size > 1 {
            // One all-reduce of the whole gradient buffer after the backward pass (docs/SCALING.md measures
            // what that costs against the step).
            let started = Date()
            try group.sum(grads.pointer, count: grads.count)
            loss = try group.sum([loss])[0]
            allReduceSeconds = Date().timeIntervalSince(started)
        }
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
        return StepResult(
            step: optimizer.step, loss: loss, learningRate: lr, gradientNorm: norm, allReduceSeconds: allReduceSeconds)
    }

    /// Forward and backward over every micro-batch, adding their gradients of the global batch's
    /// mean loss into `gradients`; returns their part of that loss. Does not update the parameters. The
    /// global batch's labels are `globalLabels` (the micro-batches' own when nil). Batches with a
    /// teacher's logits take the distillation loss (and may hold unlabelled texts), the others the
    /// classification loss.
    package func accumulate(_ microBatches: [TrainingBatch], globalLabels: [Int]? = nil) throws -> Double {
        let numLabels = model.config.numLabels
        let classes = max(2, numLabels)
        let allLabels = globalLabels ?? microBatches.flatMap(\.labels)
        guard !allLabels.isEmpty else { throw TrainingError.emptyStep }
        for micro in microBatches {
            let unlabeledAllowed = micro.teacherLogits != nil && distillation != nil
            if let bad = micro.labels.first(where: {
                !(0..<classes).contains($0) && !(unlabeledAllowed && $0 == DistillationLoss.unlabeled)
            }) {
                throw TrainingError.labelOutOfRange(bad, classes: classes)
            }
        }
        let denominator = ClassificationLoss.denominator(labels: allLabels, classWeights: arguments.classWeights)
        var loss = 0.0
        // The update being computed seeds this step's masks; each text's key, its own.
        let stepSeed = SeededGenerator.key(dropoutSeed, UInt64(optimizer.step + 1))
        for micro in microBatches where !micro.labels.isEmpty {
            guard micro.labels.count == micro.tokens.size, micro.keys.count == micro.labels.count,
                micro.teacherLogits.map({ $0.count == micro.labels.count * numLabels }) ?? true
            else {
                throw TrainingError.labelCountMismatch(texts: micro.tokens.size, labels: micro.labels.count)
            }
            let dropout =
                arguments.dropout == 0
                ? nil
                : DropoutPlan(
                    config: model.config, seeds: micro.keys.map { SeededGenerator.key(stepSeed, $0) },
                    rate: arguments.dropout)
            try model.forward(micro.tokens, acts: acts, dropout: dropout)
            if let teacher = micro.teacherLogits, let objective = distillation {
                loss += teacher.withUnsafeBufferPointer {
                    objective.evaluate(
                        logits: acts.logits.pointer, teacher: $0.baseAddress!, labels: micro.labels,
                        numLabels: numLabels, denominator: denominator, dlogits: acts.gradients!.logits.pointer)
                }
            } else {
                loss += ClassificationLoss.evaluate(
                    logits: acts.logits.pointer, labels: micro.labels, numLabels: numLabels,
                    classWeights: arguments.classWeights, denominator: denominator,
                    dlogits: acts.gradients!.logits.pointer)
            }
            model.backward(micro.tokens, acts: acts, grads: grads, dropout: dropout)
        }
        return loss
    }
}
