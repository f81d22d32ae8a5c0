import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// A random-weight `DistilBertForSequenceClassification` (tools/fixtures/distilbert_fixtures.py): its files
/// loaded as transformers saves them, and its forward pass, every gradient and five AdamW updates against
/// PyTorch's.
@Suite struct DistilBertParityTests {
    static let folder = Fixtures.url("model/tiny-distilbert")

    @Test func loadsAsSavedByTransformers() throws {
        let model = try BertModel.load(from: Self.folder)
        #expect(model.untrainedTensors.isEmpty)
        #expect(model.config.architecture == .distilbert)
        #expect(
            model.config.hiddenSize == 32 && model.config.numHiddenLayers == 2 && model.config.intermediateSize == 37)
        #expect(model.config.effectiveClassifierDropout == 0.2 && model.config.typeVocabSize == 0)
        #expect(model.config.classNames == ["neg", "neu", "pos"])
        #expect(model.layout.tensors.count == 40)
        #expect(model.tensor(named: "distilbert.transformer.layer.1.ffn.lin1.weight")?.count == 37 * 32)
        #expect(model.tensor(named: "pre_classifier.weight")?.count == 32 * 32)
        let tokenizer = try BertTokenizer(directory: Self.folder)
        #expect(tokenizer.options.tokenizerClass == "DistilBertTokenizer")
        let fixture = try SafeTensorsFile(url: Fixtures.url("model/tiny_distilbert_outputs.safetensors"))
        let batch = try fixture.tokenBatch()
        let encoded = try tokenizer.encodeBatch(Self.texts, maxLength: 64, padding: .longest)
        #expect(encoded.flatMap(\.ids) == batch.ids)
    }

    static let texts = ["good movie", "the worst film i have ever seen!", "it was ok"]

    /// Every layer's output and the logits, within float32 rounding of transformers' (whose float64
    /// run is 1e-6 away).
    @Test func forwardMatchesTransformers() throws {
        let fixture = try SafeTensorsFile(url: Fixtures.url("model/tiny_distilbert_outputs.safetensors"))
        let model = try BertModel.load(from: Self.folder)
        let batch = try fixture.tokenBatch()
        let acts = try Activations(
            config: model.config, maxBatch: batch.size, maxSequence: batch.length, training: true)
        let logits = try model.forward(batch, acts: acts, allPositions: true)
        #expect(maxAbsDiff(logits, try fixture.floats("logits")) <= 1e-5)
        // hidden_states is [layers + 1, batch, T, dim]; the last is the encoder's output.
        let hidden = try fixture.floats("hidden_states")
        let perLayer = batch.size * batch.length * model.config.hiddenSize
        let last = Array(hidden[(2 * perLayer)..<(3 * perLayer)])
        #expect(maxAbsDiff(try model.lastHiddenState(batch, acts: acts), last) <= 1e-5)
    }

    /// The full gradient of every one of the 40 tensors, dropout off, cross-entropy on three labels.
    @Test func gradientsMatchPyTorch() throws {
        try expectLossAndGradients(
            of: Self.folder, match: try SafeTensorsFile(url: Fixtures.url("model/tiny_distilbert_grads.safetensors")))
    }

    /// Five AdamW updates (lr 1e-3, warmup 2 of 5, decay 0.01 but not on biases or LayerNorms, clipping
    /// at 1, which acts at every step here): losses, norms and every final parameter.
    @Test func fiveAdamWStepsMatchPyTorch() throws {
        let fixture = try SafeTensorsFile(url: Fixtures.url("model/tiny_distilbert_adamw_steps.safetensors"))
        let model = try BertModel.load(from: Self.folder)
        let initial = Array(model.parameters.buffer)
        var settings = TrainingArguments()
        settings.dropout = 0
        settings.learningRate = 1e-3
        settings.weightDecay = 0.01
        settings.warmupSteps = 2
        settings.maxGradNorm = 1
        let tokens = try fixture.tokenBatch()
        let engine = try TrainingEngine(
            model: model, arguments: settings, totalSteps: 5, maxBatch: tokens.size, maxSequence: tokens.length,
            seed: 0)
        let batch = TrainingBatch(tokens: tokens, labels: try fixture.integers("labels"))
        let losses = try fixture.floats("losses"), norms = try fixture.floats("grad_norms")
        for s in 0..<5 {
            let result = try engine.step([batch])
            #expect(abs(result.loss - Double(losses[s])) <= 1e-5, "step \(s): loss \(result.loss) vs \(losses[s])")
            #expect(abs(result.gradientNorm - norms[s]) <= 1e-4 * norms[s], "step \(s): norm \(result.gradientNorm)")
        }
        #expect(abs(try engine.accumulate([batch]) - Double(try fixture.floats("final_loss")[0])) <= 1e-5)
        for spec in model.layout.tensors {
            let final = Array(model.parameters[spec.range])
            if spec.name.hasSuffix("attention.k_lin.bias") {
                // Its gradient is rounding noise that Adam scales up: bounded by the sum of the rates.
                #expect(zip(final, initial[spec.range]).allSatisfy { abs($0 - $1) <= 2.6e-3 })
                continue
            }
            #expect(maxAbsDiff(final, try fixture.floats("final." + spec.name)) <= 2e-5, "\(spec.name)")
        }
    }
}

/// Loads the model in `folder`, runs one backward pass with dropout off on `fixture`'s batch and labels
/// (cross-entropy), and checks the loss (1e-5) and every gradient (`expectGradients`) against it.
func expectLossAndGradients(of folder: URL, match fixture: SafeTensorsFile) throws {
    var settings = TrainingArguments()
    settings.dropout = 0
    let batch = try fixture.tokenBatch()
    let engine = try TrainingEngine(
        model: try BertModel.load(from: folder), arguments: settings, totalSteps: 1, maxBatch: batch.size,
        maxSequence: batch.length, seed: 0)
    let loss = try engine.accumulate([TrainingBatch(tokens: batch, labels: try fixture.integers("labels"))])
    #expect(abs(loss - Double(try fixture.floats("loss")[0])) <= 1e-5)
    try expectGradients(engine, match: fixture)
}

/// Checks every tensor's gradient in `engine` against `grad.<name>` of `fixture`: |ours − ref| ≤ 1e-6 +
/// 1e-3·|ref|; the key bias, whose gradient is mathematically zero, only for being tiny.
func expectGradients(_ engine: TrainingEngine, match fixture: SafeTensorsFile) throws {
    for spec in engine.model.layout.tensors {
        let ours = Array(engine.gradients[spec.range])
        if spec.name.hasSuffix("attention.k_lin.bias") || spec.name.hasSuffix("attention.self.key.bias") {
            #expect(ours.allSatisfy { abs($0) < 1e-6 }, "\(spec.name)")
            continue
        }
        let reference = try fixture.floats("grad." + spec.name)
        #expect(ours.count == reference.count, "\(spec.name)")
        let worst = zip(ours, reference).map { abs($0 - $1) / (1e-6 + 1e-3 * abs($1)) }.max() ?? 0
        #expect(worst <= 1, "\(spec.name): error \(worst)× the tolerance")
    }
}
