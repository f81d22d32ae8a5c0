import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Twenty bf16 training steps against a trajectory recorded on the native AVX-512 BF16 kernel
/// (Tests/Fixtures/model/minilm_bf16_steps.json): losses and gradient norms within 1e-3 relative on every
/// bf16 kernel this CPU runs. Widened kernels round the same operands to bf16 and sum their exact products
/// in FP32 in another order, so they follow the native run to float rounding; a wrong operand, transpose
/// or rounding mode moves the losses by far more over twenty steps.
///
/// With BERTSENT_RECORD_FIXTURE=bf16_steps on a CPU with AVX-512 BF16, the test records the fixture.
@Suite(.tags(.defaultModel)) struct Bf16TrajectoryTests {
    static let fixtureName = "model/minilm_bf16_steps.json"
    static let steps = 20

    struct Trajectory: Codable {
        var description: String
        var kernel: String
        var losses: [Double]
        var gradientNorms: [Float]
        var finalLoss: Double
    }

    /// Twenty AdamW steps with dropout on (masks keyed by the seed, step and text) over the gradient
    /// fixture's batch of four reviews, lr 5e-5 with 2 warmup steps, weight decay 0.01, clipping at 1.
    func run(kernels: KernelSet) throws -> Trajectory {
        let fixture = try SafeTensorsFile(url: Fixtures.url("model/minilm_adamw_steps.safetensors"))
        let model = try BertModel.load(from: Fixtures.defaultModel, classes: ["LABEL_0", "LABEL_1"])
        try fixture.readFloats("head.classifier.weight", into: model.tensor(named: "classifier.weight")!)
        try fixture.readFloats("head.classifier.bias", into: model.tensor(named: "classifier.bias")!)
        var settings = TrainingArguments()
        (settings.learningRate, settings.weightDecay, settings.warmupSteps, settings.maxGradNorm) = (5e-5, 0.01, 2, 1)
        settings.precision = .bf16
        let tokens = try fixture.tokenBatch()
        let batch = TrainingBatch(tokens: tokens, labels: try fixture.integers("labels"))
        let engine = try TrainingEngine(
            model: model, arguments: settings, totalSteps: Self.steps, maxBatch: tokens.size,
            maxSequence: tokens.length, seed: 7, kernels: kernels)
        var trajectory = Trajectory(
            description: "Bf16TrajectoryTests.run: all-MiniLM-L6-v2 with the minilm_adamw_steps head and batch, "
                + "dropout 0.1, seed 7, AdamW lr 5e-5, warmup 2 of 20, decay 0.01, clip 1, precision bf16",
            kernel: kernels.bf16.rawValue, losses: [], gradientNorms: [], finalLoss: 0)
        for _ in 0..<Self.steps {
            let result = try engine.step([batch])
            trajectory.losses.append(result.loss)
            trajectory.gradientNorms.append(result.gradientNorm)
        }
        trajectory.finalLoss = try engine.accumulate([batch])
        return trajectory
    }

    @Test(arguments: KernelSet.availableCaps)
    func twentyStepsFollowTheNativeTrajectory(cap: InstructionSet) throws {
        let kernels = KernelSet(cpu: .current, cap: cap)
        if ProcessInfo.processInfo.environment["BERTSENT_RECORD_FIXTURE"] == "bf16_steps" {
            guard kernels.bf16 == .avx512Bf16 else { return }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(try run(kernels: kernels)).write(to: Fixtures.url(Self.fixtureName))
            return
        }
        let reference = try JSONDecoder().decode(
            Trajectory.self, from: Data(contentsOf: Fixtures.url(Self.fixtureName)))
        #expect(reference.kernel == Bf16Kernel.avx512Bf16.rawValue)
        let ours = try run(kernels: kernels)
        func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }
        let lossErrors = zip(ours.losses + [ours.finalLoss], reference.losses + [reference.finalLoss]).map(relative)
        let normErrors = zip(ours.gradientNorms, reference.gradientNorms).map { relative(Double($0), Double($1)) }
        print(
            "bf16 trajectory on \(kernels.bf16.rawValue): losses \(ours.losses.first!) → \(ours.finalLoss), worst relative error loss \(lossErrors.max()!), gradient norm \(normErrors.max()!)"
        )
        #expect(ours.losses.count == reference.losses.count)
        for (step, error) in lossErrors.enumerated() {
            #expect(error <= 1e-3, "step \(step): loss relative error \(error)")
        }
        for (step, error) in normErrors.enumerated() {
            #expect(error <= 1e-3, "step \(step): gradient norm relative error \(error)")
        }
    }
}
