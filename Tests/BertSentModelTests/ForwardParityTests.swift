import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// The forward pass against transformers' `BertModel` on the default model (fixtures from
/// tools/fixtures/model_fixtures.py: eval mode, eager attention, float32).
@Suite(.tags(.defaultModel)) struct ForwardParityTests {
    /// Tolerances: float32 sums over 384–1536 terms in a different order than PyTorch's kernels.
    static let hiddenTolerance: Float = 1e-4
    static let pooledTolerance: Float = 1e-4
    static let logitTolerance: Float = 1e-5

    let fixture: SafeTensorsFile

    init() throws {
        fixture = try SafeTensorsFile(url: Fixtures.url("model/minilm_forward.safetensors"))
    }

    /// The default model with the fixture's seeded head (`classifier…` for softmax, `classifier1…` for sigmoid).
    func model(weights: String, classes: [String], head: ClassifierHead = .softmax) throws -> BertModel {
        let model = try BertModel.load(from: Fixtures.defaultModel, classes: classes, head: head)
        try fixture.readFloats(weights + ".weight", into: model.tensor(named: "classifier.weight")!)
        try fixture.readFloats(weights + ".bias", into: model.tensor(named: "classifier.bias")!)
        return model
    }

    func batch(prefix: String = "") throws -> TokenBatch { try fixture.tokenBatch(prefix: prefix) }

    @Test func paddedBatchMatchesTransformers() throws {
        let model = try model(weights: "classifier", classes: ["LABEL_0", "LABEL_1"])
        let batch = try batch()
        let acts = try Activations(
            config: model.config, maxBatch: batch.size, maxSequence: batch.length, training: false)
        let logits = try model.forward(batch, acts: acts, allPositions: true)
        let hidden = maxAbsDiff(try model.lastHiddenState(batch, acts: acts), try fixture.floats("last_hidden_state"))
        let pooled = maxAbsDiff(model.pooledOutput(batch, acts: acts), try fixture.floats("pooler_output"))
        let logitDiff = maxAbsDiff(logits, try fixture.floats("logits"))
        print("forward parity (MiniLM, 5×\(batch.length)): hidden \(hidden), pooled \(pooled), logits \(logitDiff)")
        // The default pass computes only the [CLS] rows of the last layer: the same logits.
        let clsOnly = try model.forward(batch, acts: acts)
        #expect(maxAbsDiff(clsOnly, logits) <= 1e-6)
        #expect(maxAbsDiff(clsOnly, try fixture.floats("logits")) <= Self.logitTolerance)
        #expect(hidden <= Self.hiddenTolerance)
        #expect(pooled <= Self.pooledTolerance)
        #expect(logitDiff <= Self.logitTolerance)
    }

    /// Kernels split work over a pool of spinning worker threads that serves one caller at a time;
    /// other callers fall back to Dispatch. Four threads running forward passes at once, many times,
    /// must each get exactly the logits of a pass run alone: a lost, repeated or misrouted piece of work
    /// would change them.
    @Test func concurrentCallersGetTheSameLogits() async throws {
        let model = try model(weights: "classifier", classes: ["LABEL_0", "LABEL_1"])
        let batch = try batch()
        let alone = try model.forward(
            batch,
            acts: try Activations(
                config: model.config, maxBatch: batch.size,
                maxSequence: batch.length, training: false))
        // The model is not Sendable (training writes its parameters); forward passes only read them.
        let shared = ReadOnlyShare(model)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let model = shared.value
                    let acts = try Activations(
                        config: model.config, maxBatch: batch.size, maxSequence: batch.length, training: false)
                    return try (0..<25).allSatisfy { _ in try model.forward(batch, acts: acts) == alone }
                }
            }
            for try await same in group { #expect(same, "a concurrent forward pass gave other logits") }
        }
    }

    @Test func sigmoidHeadMatchesTransformers() throws {
        let model = try model(weights: "classifier1", classes: ["negative", "positive"], head: .sigmoid)
        let batch = try batch()
        let acts = try Activations(
            config: model.config, maxBatch: batch.size, maxSequence: batch.length, training: false)
        let logits = try model.forward(batch, acts: acts)
        #expect(maxAbsDiff(logits, try fixture.floats("logits1")) <= Self.logitTolerance)
        let sigmoid = logits.map { Prediction.probabilities(logits: [$0])[1] }
        #expect(maxAbsDiff(sigmoid, try fixture.floats("probabilities1")) <= Self.logitTolerance)
    }

    /// Each text alone (no padding) gives what transformers gives it alone, and what it gets inside
    /// the padded batch.
    @Test func eachTextAloneMatchesTransformersAndTheBatch() throws {
        let model = try model(weights: "classifier", classes: ["LABEL_0", "LABEL_1"])
        let padded = try batch()
        let batchActs = try Activations(
            config: model.config, maxBatch: padded.size, maxSequence: padded.length, training: true)
        let batchLogits = try model.forward(padded, acts: batchActs, allPositions: true)
        let batchHidden = try model.lastHiddenState(padded, acts: batchActs)
        let c = model.config.hiddenSize
        for sample in 0..<padded.size {
            let alone = try batch(prefix: "alone.\(sample).")
            let acts = try Activations(config: model.config, maxBatch: 1, maxSequence: alone.length, training: false)
            let logits = try model.forward(alone, acts: acts, allPositions: true)
            let hidden = try model.lastHiddenState(alone, acts: acts)
            #expect(maxAbsDiff(hidden, try fixture.floats("alone.\(sample).last_hidden_state")) <= Self.hiddenTolerance)
            #expect(maxAbsDiff(logits, try fixture.floats("alone.\(sample).logits")) <= Self.logitTolerance)
            let inBatch = slice(batchHidden, sample: sample, length: padded.length, channels: c, rows: 0..<alone.length)
            #expect(
                maxAbsDiff(hidden, inBatch) <= Self.hiddenTolerance, "sample \(sample): alone vs in the padded batch")
            #expect(maxAbsDiff(logits, Array(batchLogits[(2 * sample)..<(2 * sample + 2)])) <= Self.logitTolerance)
        }
    }
}

/// A random checkpoint saved by transformers with legacy names (`bert.` prefix, LayerNorm gamma/beta)
/// and a 3-label head, loaded and run as transformers ran it.
@Suite struct LegacyCheckpointTests {
    @Test func tinyLegacyCheckpointMatchesTransformers() throws {
        let outputs = try SafeTensorsFile(url: Fixtures.url("model/tiny_outputs.safetensors"))
        let model = try BertModel.load(from: Fixtures.url("model/tiny-legacy"))
        #expect(model.untrainedTensors.isEmpty)
        #expect(model.config.id2label == ["neg", "neu", "pos"])
        let batch = try outputs.tokenBatch()
        let acts = try Activations(
            config: model.config, maxBatch: batch.size, maxSequence: batch.length, training: true)
        let logits = try model.forward(batch, acts: acts, allPositions: true)
        #expect(
            maxAbsDiff(try model.lastHiddenState(batch, acts: acts), try outputs.floats("last_hidden_state")) <= 1e-5)
        #expect(maxAbsDiff(model.pooledOutput(batch, acts: acts), try outputs.floats("pooler_output")) <= 1e-5)
        #expect(maxAbsDiff(logits, try outputs.floats("logits")) <= 1e-5)
    }
}

/// Hands a value that is only read to several tasks.
private struct ReadOnlyShare<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
