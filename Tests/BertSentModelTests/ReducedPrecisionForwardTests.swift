import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// The forward pass with the encoder's linear layers in bf16 or int8 against the same model in FP32
/// and against transformers' FP32 outputs (the committed MiniLM fixtures).
///
/// Tolerances, bf16: it keeps 8 significant bits, so each linear layer's inputs and weights are off by
/// up to 2⁻⁹ relatively, and 6 layers compound it. Measured on the fixture's batch (the printed line),
/// over real tokens: hidden states 0.020 max abs (values up to ±5.9; PyTorch's
/// `torch.autocast("cpu", dtype=torch.bfloat16)` on the same batch: 0.021), pooled output 8.0e-4
/// (autocast: 1.4e-3), logits 1.8e-4 (the fixture's head gives logits of ±0.04).
/// int8: each value is off by up to half a step of 1/127 of its row's (token's, or output feature's)
/// largest magnitude, 20× bf16's error. Measured: hidden states 0.46 max abs, pooled 0.018, logits
/// 0.0038 (0.32 and 0.0037 on 3×128 random tokens); on 2,000 IMDB reviews with a fine-tuned model,
/// labels agree with FP32's on 99.3% (README).
/// The tolerances are about 2.5× the measurements: far above FP32's 1e-4 / 1e-5, and far below what a
/// wrong weight, bias, scale or split does (errors of O(1)).
/// Each test runs on every kernel path this CPU has (one per instruction-set cap).
@Suite(.tags(.defaultModel))
struct ReducedPrecisionForwardTests {
    let fixture: SafeTensorsFile
    let model: BertModel

    init() throws {
        fixture = try SafeTensorsFile(url: Fixtures.url("model/minilm_forward.safetensors"))
        model = try BertModel.load(from: Fixtures.defaultModel, classes: ["LABEL_0", "LABEL_1"])
        try fixture.readFloats("classifier.weight", into: model.tensor(named: "classifier.weight")!)
        try fixture.readFloats("classifier.bias", into: model.tensor(named: "classifier.bias")!)
    }

    @Test(arguments: [Precision.bf16, .int8], KernelSet.availableCaps)
    func paddedBatchAgainstFP32AndTransformers(precision: Precision, cap: InstructionSet) throws {
        let tolerance = ReducedPrecisionTolerance.of(precision)
        let batch = try fixture.tokenBatch()
        let kernels = KernelSet(cpu: .current, cap: cap)
        let weights = try PackedEncoderWeights(model: model, precision: precision, kernels: kernels)
        let acts = try Activations(
            config: model.config, maxBatch: batch.size, maxSequence: batch.length, training: false)
        let logits32 = try model.forward(batch, acts: acts, allPositions: true)
        let hidden32 = try model.lastHiddenState(batch, acts: acts), pooled32 = model.pooledOutput(batch, acts: acts)
        let logits = try model.forward(batch, acts: acts, allPositions: true, packed: weights)
        let hidden = try model.lastHiddenState(batch, acts: acts), pooled = model.pooledOutput(batch, acts: acts)
        // Real tokens only: padded positions' hidden states are never read, and their bf16 error is the
        // largest (0.16 here, as PyTorch's autocast gets 0.19 there).
        func real(_ values: [Float]) -> [Float] {
            (0..<batch.size).flatMap {
                slice(
                    values, sample: $0, length: batch.length, channels: model.config.hiddenSize,
                    rows: 0..<Int(batch.lengths[$0]))
            }
        }
        let hf = (
            hidden: try fixture.floats("last_hidden_state"), pooled: try fixture.floats("pooler_output"),
            logits: try fixture.floats("logits")
        )
        print(
            "\(precision) forward on \(kernels.summary) (MiniLM, 5×\(batch.length)) vs FP32: hidden \(maxAbsDiff(real(hidden), real(hidden32))), pooled \(maxAbsDiff(pooled, pooled32)), logits \(maxAbsDiff(logits, logits32)); vs transformers: hidden \(maxAbsDiff(real(hidden), real(hf.hidden))), pooled \(maxAbsDiff(pooled, hf.pooled)), logits \(maxAbsDiff(logits, hf.logits)); largest |hidden| \(hf.hidden.map(abs).max()!), |logit| \(hf.logits.map(abs).max()!)"
        )
        for (reference, name) in [
            ((hidden32, pooled32, logits32), "FP32"), ((hf.hidden, hf.pooled, hf.logits), "transformers"),
        ] {
            #expect(maxAbsDiff(real(hidden), real(reference.0)) <= tolerance.hidden, "hidden vs \(name)")
            #expect(maxAbsDiff(pooled, reference.1) <= tolerance.pooled, "pooled vs \(name)")
            #expect(maxAbsDiff(logits, reference.2) <= tolerance.logits, "logits vs \(name)")
        }
        // Really reduced: results differ from FP32 (by far more than FP32's own run-to-run 0).
        #expect(maxAbsDiff(hidden, hidden32) > 1e-3)
        // The [CLS]-only last layer gives the same logits in reduced precision too. The widened bf16
        // kernel's sums run in BLAS's order, which depends on the rows in the product (5 [CLS] rows or
        // every token's), and a last-bit difference can move a value across a bf16 rounding boundary:
        // there, the same logits within the bf16 tolerance.
        let clsOnly = maxAbsDiff(try model.forward(batch, acts: acts, packed: weights), logits)
        #expect(clsOnly <= (kernels.bf16 == .widened && precision == .bf16 ? tolerance.logits : 1e-6), "\(clsOnly)")
    }

    /// 3 × 128 tokens: 384 rows, so the products are split across the cores by rows (the fixture's
    /// batch is split by columns).
    @Test(arguments: [Precision.bf16, .int8], KernelSet.availableCaps)
    func largeBatchSplitByRowsAgainstFP32(precision: Precision, cap: InstructionSet) throws {
        let kernels = KernelSet(cpu: .current, cap: cap)
        var generator = SeededGenerator(seed: 11)
        let ids = (0..<3).map { _ in [101] + (0..<126).map { _ in Int32(1000 + Int(generator.next() % 20_000)) } + [102]
        }
        let batch = try TokenBatch(ids: ids)
        let acts = try Activations(config: model.config, maxBatch: 3, maxSequence: 128, training: false)
        let logits32 = try model.forward(batch, acts: acts, allPositions: true)
        let hidden32 = try model.lastHiddenState(batch, acts: acts)
        let logits = try model.forward(
            batch, acts: acts, allPositions: true,
            packed: try PackedEncoderWeights(model: model, precision: precision, kernels: kernels))
        let hidden = try model.lastHiddenState(batch, acts: acts)
        print(
            "\(precision) forward on \(kernels.summary) (MiniLM, 3×128 random tokens) vs FP32: hidden \(maxAbsDiff(hidden, hidden32)), logits \(maxAbsDiff(logits, logits32))"
        )
        #expect(maxAbsDiff(hidden, hidden32) <= ReducedPrecisionTolerance.of(precision).hidden)
        #expect(maxAbsDiff(logits, logits32) <= ReducedPrecisionTolerance.of(precision).logits)
    }

    @Test(arguments: [Precision.bf16, .int8], KernelSet.availableCaps)
    func predictorAgreesWithFP32(precision: Precision, cap: InstructionSet) throws {
        let tokenizer = try BertTokenizer(directory: Fixtures.defaultModel)
        let fp32 = try Predictor(model: model, tokenizer: tokenizer)
        let reduced = try Predictor(
            model: model, tokenizer: tokenizer, precision: precision, kernels: KernelSet(cpu: .current, cap: cap))
        #expect(fp32.precision == .fp32 && reduced.precision == precision)
        let texts = [
            "A wonderful film.", "Dull, overlong and badly acted.", "It was fine, I guess?",
            String(repeating: "good and bad ", count: 40),
        ]
        let p32 = try fp32.predict(texts), p = try reduced.predict(texts)
        #expect(
            maxAbsDiff(p.flatMap(\.probabilities), p32.flatMap(\.probabilities))
                <= ReducedPrecisionTolerance.of(precision).logits)
    }

    @Test func trainingActivationsAndOtherShapesAreRefused() throws {
        let batch = try fixture.tokenBatch()
        let weights = try PackedEncoderWeights(model: model, precision: .bf16)
        let training = try Activations(
            config: model.config, maxBatch: batch.size, maxSequence: batch.length, training: true)
        #expect(throws: ModelError.packedWeightsInTraining(.bf16)) {
            try model.forward(batch, acts: training, packed: weights)
        }
        let tiny = try BertModel(config: tinyConfig())
        let tinyBatch = try TokenBatch(ids: [[1, 5, 2]])
        let acts = try Activations(config: tiny.config, maxBatch: 1, maxSequence: 3, training: false)
        #expect(throws: ModelError.packedWeightsFromAnotherModel(.bf16)) {
            try tiny.forward(tinyBatch, acts: acts, packed: weights)
        }
    }
}

/// Conversions that make no sense are refused on any CPU: fp32 weights to convert, int8 training,
/// bf16 activations for inference.
@Suite(.tags(.defaultModel)) struct ReducedPrecisionRefusalTests {
    @Test func conversionsWithoutAMeaningAreRefused() throws {
        let model = try BertModel.load(from: Fixtures.defaultModel, classes: ["negative", "positive"])
        #expect(throws: ModelError.nothingToConvert) { try PackedEncoderWeights(model: model, precision: .fp32) }
        #expect(throws: ModelError.unsupportedActivationsPrecision(.int8, training: true)) {
            try Activations(config: model.config, maxBatch: 2, maxSequence: 16, training: true, precision: .int8)
        }
        #expect(throws: ModelError.unsupportedActivationsPrecision(.bf16, training: false)) {
            try Activations(config: model.config, maxBatch: 2, maxSequence: 16, training: false, precision: .bf16)
        }
        var settings = TrainingArguments()
        settings.precision = .int8
        #expect(
            throws: SettingsError.outOfRange(
                setting: "precision", value: "int8", requirement: "fp32 or bf16 (int8 is for inference)")
        ) {
            try settings.validate(numLabels: 2)
        }
    }
}
