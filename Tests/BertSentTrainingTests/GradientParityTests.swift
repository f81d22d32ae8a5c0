import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Gradients, losses and AdamW updates against PyTorch (fixtures from tools/fixtures/model_fixtures.py:
/// the default model as BertForSequenceClassification, dropout 0, a padded batch of 4).
@Suite(.tags(.defaultModel)) struct GradientParityTests {
    /// |ours − torch| ≤ absolute + relative·|torch| per gradient value; float32 sums over thousands of
    /// terms in another order differ by about 1e-6 relative, so this leaves a wide margin.
    static let gradientAbsolute: Float = 1e-6
    static let gradientRelative: Float = 1e-3
    static let lossTolerance = 1e-5
    /// `attention.self.key.bias` gradients are mathematically 0 (softmax ignores a per-query shift):
    /// both sides hold rounding noise, so only its size is checked.
    static let noiseBound: Float = 1e-8

    let indices: SafeTensorsFile

    init() throws {
        indices = try SafeTensorsFile(url: Fixtures.url("model/minilm_sample_indices.safetensors"))
    }

    /// The default model with the fixture's head and an engine with dropout off.
    func engine(
        fixture: SafeTensorsFile, classes: [String], head: ClassifierHead = .softmax,
        settings: TrainingArguments = TrainingArguments(), steps: Int = 1
    ) throws -> TrainingEngine {
        let model = try BertModel.load(from: Fixtures.defaultModel, classes: classes, head: head)
        try fixture.readFloats("head.classifier.weight", into: model.tensor(named: "classifier.weight")!)
        try fixture.readFloats("head.classifier.bias", into: model.tensor(named: "classifier.bias")!)
        var settings = settings
        settings.dropout = 0
        let batch = try fixture.tokenBatch()
        return try TrainingEngine(
            model: model, arguments: settings, totalSteps: steps, maxBatch: batch.size, maxSequence: batch.length,
            seed: 0)
    }

    func labeledBatch(_ fixture: SafeTensorsFile) throws -> TrainingBatch {
        TrainingBatch(tokens: try fixture.tokenBatch(), labels: try fixture.integers("labels"))
    }

    /// Values of `tensor` (a parameter-shaped buffer) at the flat `positions`.
    func pick<T: RandomAccessCollection<Float>>(_ tensor: T, _ positions: [Int]) -> [Float] where T.Index == Int {
        positions.map { tensor[$0] }
    }

    /// Rows `ids` of a (V, C) tensor, flattened.
    func rows<T: RandomAccessCollection<Float>>(_ tensor: T, _ ids: [Int], channels: Int) -> [Float]
    where T.Index == Int {
        ids.flatMap { tensor[($0 * channels)..<(($0 + 1) * channels)] }
    }

    /// Every value within absolute + relative·|reference|; returns the worst excess ratio for the report.
    func check(_ ours: [Float], _ reference: [Float], absolute: Float, relative: Float, _ name: String) -> Float {
        #expect(ours.count == reference.count, "\(name): \(ours.count) values vs \(reference.count)")
        var worst: Float = 0
        for (a, r) in zip(ours, reference) {
            worst = max(worst, abs(a - r) / (absolute + relative * abs(r)))
        }
        #expect(worst <= 1, "\(name): error \(worst)× the tolerance")
        return worst
    }

    func checkGradients(fixtureName: String, classes: [String], head: ClassifierHead, sampleKey: (String) -> String)
        throws
    {
        let fixture = try SafeTensorsFile(url: Fixtures.url("model/minilm_grads_\(fixtureName).safetensors"))
        let engine = try engine(fixture: fixture, classes: classes, head: head)
        let loss = try engine.accumulate([try labeledBatch(fixture)])
        let referenceLoss = Double(try fixture.floats("loss")[0])
        #expect(abs(loss - referenceLoss) <= Self.lossTolerance, "loss \(loss) vs \(referenceLoss)")
        let model = engine.model
        var worst: Float = 0, worstName = ""
        var worstNorm = 0.0, worstNormName = ""
        for spec in model.layout.tensors {
            let grad = engine.gradients[spec.range]
            let norm = (grad.reduce(0.0) { $0 + Double($1) * Double($1) }).squareRoot()
            let referenceNorm = Double(try fixture.floats("grad_norm." + spec.name)[0])
            if spec.name.hasSuffix("attention.self.key.bias") {
                #expect(grad.allSatisfy { abs($0) < Self.noiseBound }, "\(spec.name) should be rounding noise")
                continue
            }
            if abs(norm - referenceNorm) / referenceNorm > worstNorm {
                (worstNorm, worstNormName) = (abs(norm - referenceNorm) / referenceNorm, spec.name)
            }
            // Relative, with an absolute floor for tensors whose whole gradient is tiny (|g| ~ 1e-5), where
            // float32 rounding of 3e-8 per value (torch's own float32-vs-float64 gap) is 1e-4 of the norm.
            #expect(
                abs(norm - referenceNorm) <= 1e-4 * referenceNorm + 1e-7,
                "\(spec.name): norm \(norm) vs \(referenceNorm)")
            let error: Float
            if spec.name == "bert.embeddings.word_embeddings.weight" {
                let ids = try fixture.integers("grad_row_ids." + spec.name)
                error = check(
                    rows(grad, ids, channels: model.config.hiddenSize), try fixture.floats("grad_rows." + spec.name),
                    absolute: Self.gradientAbsolute, relative: Self.gradientRelative, spec.name)
            } else {
                let positions = try indices.integers(sampleKey(spec.name))
                error = check(
                    pick(grad, positions), try fixture.floats("grad." + spec.name),
                    absolute: Self.gradientAbsolute, relative: Self.gradientRelative, spec.name)
            }
            if error > worst { (worst, worstName) = (error, spec.name) }
        }
        print(
            "gradient parity (\(fixtureName)): loss diff \(abs(loss - referenceLoss)), worst value error \(worst)× tolerance (\(worstName)), worst norm relative error \(worstNorm) (\(worstNormName))"
        )
    }

    @Test func softmaxHeadGradientsMatchPyTorch() throws {
        try checkGradients(fixtureName: "softmax", classes: ["LABEL_0", "LABEL_1"], head: .softmax) { $0 }
    }

    @Test func sigmoidHeadGradientsMatchPyTorch() throws {
        try checkGradients(fixtureName: "sigmoid", classes: ["negative", "positive"], head: .sigmoid) {
            $0.hasPrefix("classifier.") ? "sigmoid." + $0 : $0
        }
    }

    /// Training in bf16 (`precision: .bf16`) against the float32 gradients, beside PyTorch's own mixed
    /// precision (the same batch under `torch.autocast("cpu", bfloat16)`, fixture
    /// minilm_grads_softmax_autocast_bf16): per tensor, the relative L2 error of the sampled gradient
    /// values. bf16 keeps 8 significant bits, so errors of about 1% are the format's, not a bug; a
    /// wrong operand, transpose or missed accumulation gives errors of order 1.
    ///
    /// Measured: ours 0.4–2.0% (0.4–0.8× autocast's error on most tensors), autocast's 0.4–19% (its
    /// LayerNorm bias of the last layer). One tensor's error is a sample of rounding noise and moves with
    /// the FP32 arithmetic around it: layer 3's value weight measures 2.0% (1.52× autocast's) with
    /// OpenBLAS's SkylakeX kernels and 2.6% (2.23×) with OPENBLAS_CORETYPE=Haswell, as in CI. Required:
    /// every tensor within 4% and within 3× autocast's error (a wrong operand, transpose or missed
    /// accumulation gives errors of order 1); the median ratio to autocast's at most 1 (no less accurate
    /// than PyTorch's mixed precision overall; measured 0.66–0.69); the loss within 1e-3 of float32's.
    @Test
    func bf16GradientsAgainstFloat32AndAutocast() throws {
        let fixture = try SafeTensorsFile(url: Fixtures.url("model/minilm_grads_softmax.safetensors"))
        let autocast = try SafeTensorsFile(url: Fixtures.url("model/minilm_grads_softmax_autocast_bf16.safetensors"))
        var settings = TrainingArguments()
        settings.precision = .bf16
        let engine = try engine(fixture: fixture, classes: ["LABEL_0", "LABEL_1"], settings: settings)
        let loss = try engine.accumulate([try labeledBatch(fixture)])
        let referenceLoss = Double(try fixture.floats("loss")[0]), autocastLoss = Double(try autocast.floats("loss")[0])
        #expect(abs(loss - referenceLoss) <= 1e-3, "loss \(loss) vs float32 \(referenceLoss)")
        func relativeError(_ values: [Float], _ reference: [Float]) -> Double {
            let difference = zip(values, reference).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
            let size = reference.reduce(0.0) { $0 + Double($1) * Double($1) }
            return (difference / size).squareRoot()
        }
        let model = engine.model
        var worstOurs = 0.0, worstAutocast = 0.0, worstRatio = 0.0, worstName = "", ratios: [Double] = []
        for spec in model.layout.tensors where !spec.name.hasSuffix("attention.self.key.bias") {
            let grad = engine.gradients[spec.range]
            let (ours, reference, theirs): ([Float], [Float], [Float])
            if spec.name == "bert.embeddings.word_embeddings.weight" {
                let ids = try fixture.integers("grad_row_ids." + spec.name)
                (ours, reference) = (
                    rows(grad, ids, channels: model.config.hiddenSize), try fixture.floats("grad_rows." + spec.name)
                )
                theirs = try autocast.floats("grad_rows." + spec.name)
            } else {
                (ours, reference) = (
                    pick(grad, try indices.integers(spec.name)), try fixture.floats("grad." + spec.name)
                )
                theirs = try autocast.floats("grad." + spec.name)
            }
            let errorOurs = relativeError(ours, reference), errorAutocast = relativeError(theirs, reference)
            worstOurs = max(worstOurs, errorOurs)
            worstAutocast = max(worstAutocast, errorAutocast)
            ratios.append(errorOurs / errorAutocast)
            if errorOurs / errorAutocast > worstRatio {
                (worstRatio, worstName) = (errorOurs / errorAutocast, spec.name)
            }
            #expect(
                errorOurs <= 0.04 && errorOurs <= 3 * errorAutocast,
                "\(spec.name): relative error \(errorOurs), autocast's \(errorAutocast)")
        }
        let medianRatio = ratios.sorted()[ratios.count / 2]
        #expect(medianRatio <= 1, "median error ratio to autocast's \(medianRatio)")
        print(
            "bf16 gradients vs float32: loss \(loss) (float32 \(referenceLoss), autocast \(autocastLoss)); worst relative error ours \(worstOurs), autocast \(worstAutocast); ratio ours/autocast median \(medianRatio), largest \(worstRatio) (\(worstName))"
        )
    }

    /// Five AdamW updates with linear warmup (2 of 5 steps), weight decay 0.01 except biases and
    /// LayerNorm weights, and clipping at 1.0.
    ///
    /// Adam divides each element's moment by its own RMS, so where a gradient is as small as float32
    /// rounding (|g| < 1e-6 at step 1, measured against the gradient fixture) its direction is noise
    /// and the update may be anything up to Σ lr; those elements are only checked against that bound.
    /// Elsewhere |Δours − Δtorch| ≤ 2e-5 (two torch implementations differ by 2.9e-6).
    @Test func fiveAdamWStepsMatchPyTorch() throws {
        let fixture = try SafeTensorsFile(url: Fixtures.url("model/minilm_adamw_steps.safetensors"))
        let firstGradients = try SafeTensorsFile(url: Fixtures.url("model/minilm_grads_softmax.safetensors"))
        var settings = TrainingArguments()
        settings.learningRate = 1e-3
        settings.weightDecay = 0.01
        settings.warmupSteps = 2
        settings.maxGradNorm = 1
        let engine = try engine(fixture: fixture, classes: ["LABEL_0", "LABEL_1"], settings: settings, steps: 5)
        let model = engine.model
        let initial = Array(model.parameters.buffer)
        let batch = try labeledBatch(fixture)
        let losses = try fixture.floats("losses"), rates = try fixture.floats("lrs"),
            norms = try fixture.floats("grad_norms")
        for s in 0..<5 {
            let result = try engine.step([batch])
            #expect(abs(result.loss - Double(losses[s])) <= 1e-4, "step \(s): loss \(result.loss) vs \(losses[s])")
            #expect(
                abs(result.learningRate - Double(rates[s])) <= 1e-9,
                "step \(s): lr \(result.learningRate) vs \(rates[s])")
            #expect(
                abs(result.gradientNorm - norms[s]) <= 1e-4 * norms[s],
                "step \(s): grad norm \(result.gradientNorm) vs \(norms[s])")
        }
        let final = try engine.accumulate([batch])
        #expect(abs(final - Double(try fixture.floats("final_loss")[0])) <= 1e-4)
        let bound = Float(rates.reduce(0, +)) * 1.01
        var worst: Float = 0
        var noiseElements = 0, checkedElements = 0
        for spec in model.layout.tensors {
            let delta = zip(model.parameters[spec.range], initial[spec.range]).map { $0 - $1 }
            if spec.name.hasSuffix("attention.self.key.bias") {
                #expect(delta.allSatisfy { abs($0) < 1e-4 })
                continue
            }
            if spec.name == "bert.embeddings.word_embeddings.weight" {
                for kind in ["delta_rows", "delta_untouched_rows"] {
                    let ids = try fixture.integers(
                        kind.replacingOccurrences(of: "rows", with: "row_ids") + "." + spec.name)
                    let ours = rows(delta, ids, channels: model.config.hiddenSize),
                        reference = try fixture.floats(kind + "." + spec.name)
                    let gradient =
                        kind == "delta_rows"
                        ? try firstGradients.floats("grad_rows." + spec.name)
                        : Array(repeating: Float(1), count: reference.count)
                    worst = max(
                        worst,
                        compareDeltas(
                            ours, reference, gradient: gradient, bound: bound, &noiseElements, &checkedElements,
                            spec.name))
                }
            } else {
                worst = max(
                    worst,
                    compareDeltas(
                        pick(delta, try indices.integers(spec.name)), try fixture.floats("delta." + spec.name),
                        gradient: try firstGradients.floats("grad." + spec.name), bound: bound,
                        &noiseElements, &checkedElements, spec.name))
            }
        }
        print(
            "AdamW parity: worst |Δ error| \(worst) over \(checkedElements) elements; \(noiseElements) rounding-level-gradient elements bounded by \(bound)"
        )
    }

    /// The same five updates in bf16: its losses follow PyTorch's float32 ones (the fixture) within
    /// 0.003 (measured: at most 3.5e-4 with OpenBLAS's SkylakeX kernels, 4.6e-4 with Haswell's). They
    /// fall from 0.69 to 0.018 over the steps, so a broken gradient or update would leave them far apart.
    @Test
    func fiveAdamWStepsInBf16FollowFloat32() throws {
        let fixture = try SafeTensorsFile(url: Fixtures.url("model/minilm_adamw_steps.safetensors"))
        var settings = TrainingArguments()
        (settings.learningRate, settings.weightDecay, settings.warmupSteps, settings.maxGradNorm) = (1e-3, 0.01, 2, 1)
        settings.precision = .bf16
        let engine = try engine(fixture: fixture, classes: ["LABEL_0", "LABEL_1"], settings: settings, steps: 5)
        let batch = try labeledBatch(fixture)
        let losses = try fixture.floats("losses")
        var ours: [Double] = []
        for _ in 0..<5 { ours.append(try engine.step([batch]).loss) }
        ours.append(try engine.accumulate([batch]))
        let reference = losses.map(Double.init) + [Double(try fixture.floats("final_loss")[0])]
        print("bf16 AdamW losses \(ours) vs float32 \(reference)")
        for (step, (a, b)) in zip(ours, reference).enumerated() {
            #expect(abs(a - b) <= 0.003, "step \(step): loss \(a) vs float32 \(b)")
        }
    }

    func compareDeltas(
        _ ours: [Float], _ reference: [Float], gradient: [Float], bound: Float,
        _ noise: inout Int, _ checked: inout Int, _ name: String
    ) -> Float {
        #expect(ours.count == reference.count && gradient.count == reference.count, "\(name): sizes")
        var worst: Float = 0
        for i in reference.indices {
            // The untouched embedding rows (gradient 1 here by convention) change by weight decay only.
            if gradient[i] != 0, abs(gradient[i]) < 1e-6 {
                noise += 1
                #expect(abs(ours[i]) <= bound, "\(name)[\(i)]: |Δ| \(ours[i]) above Σ lr")
            } else {
                checked += 1
                worst = max(worst, abs(ours[i] - reference[i]))
            }
        }
        #expect(worst <= 2e-5, "\(name): |Δ error| \(worst)")
        return worst
    }

    /// The tiny legacy checkpoint: the full gradient of every tensor.
    @Test func tinyModelFullGradientsMatchPyTorch() throws {
        try expectLossAndGradients(
            of: Fixtures.url("model/tiny-legacy"),
            match: try SafeTensorsFile(url: Fixtures.url("model/tiny_grads.safetensors")))
    }
}
