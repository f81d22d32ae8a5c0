import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Layer-wise learning-rate decay: the classifier and pooler learn at the schedule's rate, encoder layer
/// l of L at rate · decay^(L − l), the embeddings at rate · decay^(L + 1).
struct LayerwiseDecayTests {
    /// Adam's first update with every gradient 1 (no weight decay) moves each parameter by its rate
    /// (m̂ = v̂ = 1): the change of each tensor is its rate, read off directly.
    func firstStepRates(decay: Float, layers: Int = 3) throws -> [String: Float] {
        let layout = ParameterLayout(config: tinyConfig(layers: layers))
        let optimizer = try Optimizer(
            kind: .adamw, layout: layout, weightDecay: 0, epsilon: 1e-12, layerwiseDecay: decay)
        let parameters = try FloatBuffer(count: layout.count), grads = try FloatBuffer(count: layout.count)
        parameters.zero()
        grads.buffer.update(repeating: 1)
        optimizer.update(parameters: parameters, grads: grads, gradScale: 1, layout: layout, lr: 1e-3)
        var rates: [String: Float] = [:]
        for spec in layout.tensors {
            let moved = parameters.buffer[spec.range].map { -$0 }
            #expect(moved.allSatisfy { abs($0 - moved[0]) <= 1e-9 }, "\(spec.name) moved unevenly")
            rates[spec.name] = moved[0]
        }
        return rates
    }

    @Test func eachLayerLearnsAtTheRateAboveItTimesTheFactor() throws {
        let rates = try firstStepRates(decay: 0.5)
        func expectRate(_ name: String, _ expected: Float) {
            #expect(
                abs((rates[name] ?? 0) - expected) <= 1e-6 * expected, "\(name): \(rates[name] ?? 0), not \(expected)")
        }
        expectRate("classifier.weight", 1e-3)
        expectRate("classifier.bias", 1e-3)
        expectRate("bert.pooler.dense.weight", 1e-3)
        expectRate("bert.encoder.layer.2.output.dense.weight", 5e-4)
        expectRate("bert.encoder.layer.1.attention.self.query.bias", 2.5e-4)
        expectRate("bert.encoder.layer.0.output.LayerNorm.weight", 1.25e-4)
        expectRate("bert.embeddings.word_embeddings.weight", 6.25e-5)
        expectRate("bert.embeddings.LayerNorm.bias", 6.25e-5)
    }

    @Test func aFactorOfOneLeavesEveryRateAlone() throws {
        let rates = try firstStepRates(decay: 1)
        #expect(rates.values.allSatisfy { abs($0 - 1e-3) <= 1e-9 })
    }

    @Test func theFactorIsASettingCheckedBeforeTraining() throws {
        var arguments = TrainingArguments()
        arguments.layerwiseLrDecay = 0.9
        try arguments.validate(numLabels: 2)
        for bad in [0.0, -0.5, 1.5] {
            arguments.layerwiseLrDecay = bad
            #expect {
                try arguments.validate(numLabels: 2)
            } throws: { "\($0)".contains("layerwise_lr_decay") }
        }
    }
}
