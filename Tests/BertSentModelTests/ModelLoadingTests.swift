import BertSent
import BertSentTestSupport
import Foundation
import Testing

@Suite(.tags(.defaultModel)) struct ModelLoadingTests {
    /// Saves a seeded random model with `config` into a new folder.
    func savedModel(_ config: BertConfig, seed: UInt64 = 7) throws -> (BertModel, URL) {
        let model = try BertModel(config: config)
        model.initializeRandomly(seed: seed)
        let dir = try temporaryDirectory()
        try model.save(to: dir)
        return (model, dir)
    }

    @Test func saveThenLoadIsExact() throws {
        let (model, dir) = try savedModel(tinyConfig())
        defer { try? FileManager.default.removeItem(at: dir) }
        let loaded = try BertModel.load(from: dir)
        #expect(loaded.untrainedTensors.isEmpty)
        #expect(loaded.config == model.config)
        for spec in model.layout.tensors {
            #expect(Array(loaded.tensor(named: spec.name)!) == Array(model.tensor(named: spec.name)!), "\(spec.name)")
        }
        let file = try SafeTensorsFile(url: dir.appendingPathComponent("model.safetensors"))
        #expect(file.tensors["bert.encoder.layer.1.attention.self.query.weight"]?.shape == [32, 32])
        #expect(file.tensors["classifier.weight"]?.shape == [2, 32])
    }

    /// bert-base-uncased's shape (12 layers × 768, 12 heads, 30,522 tokens) from random weights.
    @Test func bertBaseShapedModelLoadsAndRuns() throws {
        var config = BertConfig()
        config.id2label = ["negative", "positive"]
        let (_, dir) = try savedModel(config)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try BertModel.load(from: dir)
        #expect(model.parameterCount == 109_483_778)  // transformers' BertForSequenceClassification, 2 labels
        #expect(model.layout.tensors.count == 5 + 12 * 16 + 4)
        #expect(model.tensor(named: "bert.encoder.layer.11.intermediate.dense.weight")?.count == 3072 * 768)
        let batch = try TokenBatch(ids: [[101, 2023, 3185, 102], [101, 102]])
        let acts = try Activations(config: model.config, maxBatch: 2, maxSequence: 4, training: false)
        let logits = try model.forward(batch, acts: acts, allPositions: true)
        #expect(logits.count == 4 && logits.allSatisfy(\.isFinite))
        #expect(try model.lastHiddenState(batch, acts: acts).count == 2 * 4 * 768)
    }

    @Test func encoderWithoutHeadGetsASeededUntrainedHead() throws {
        let a = try BertModel.load(from: Fixtures.defaultModel, classes: ["negative", "positive"], seed: 3)
        let b = try BertModel.load(from: Fixtures.defaultModel, classes: ["negative", "positive"], seed: 3)
        let c = try BertModel.load(from: Fixtures.defaultModel, classes: ["negative", "positive"], seed: 4)
        #expect(a.untrainedTensors == ["classifier.weight", "classifier.bias"])
        let weights = Array(a.tensor(named: "classifier.weight")!)
        #expect(weights == Array(b.tensor(named: "classifier.weight")!))
        #expect(weights != Array(c.tensor(named: "classifier.weight")!))
        let mean = weights.reduce(0, +) / Float(weights.count)
        let std = (weights.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(weights.count)).squareRoot()
        #expect(abs(mean) < 0.003 && abs(std - 0.02) < 0.002, "N(0, 0.02): mean \(mean), std \(std)")
        #expect(a.tensor(named: "classifier.bias")!.allSatisfy { $0 == 0 })
    }

    @Test func newLabelsReplaceACheckpointsHead() throws {
        let (_, dir) = try savedModel(tinyConfig(labels: ["a", "b", "c"]))
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try BertModel.load(from: dir, classes: ["a", "b", "c"]).untrainedTensors.isEmpty)
        let relabelled = try BertModel.load(from: dir, classes: ["negative", "positive"], head: .sigmoid)
        #expect(relabelled.untrainedTensors == ["classifier.weight", "classifier.bias"])
        #expect(relabelled.tensor(named: "classifier.weight")?.count == 32)
    }

    @Test func shapeDisagreeingWithConfigNamesTheTensor() throws {
        let (_, dir) = try savedModel(tinyConfig())
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = tinyConfig()
        config.intermediateSize = 40
        try config.jsonData().write(to: dir.appendingPathComponent("config.json"))
        let weights = dir.appendingPathComponent("model.safetensors").path
        let error = #expect(throws: ModelError.self) { try BertModel.load(from: dir) }
        guard
            case .shapeMismatch(
                weights, "bert.encoder.layer.0.intermediate.dense.weight", [37, 32], [40, 32], let implied)? = error
        else {
            Issue.record("expected the intermediate weight's shape to disagree, got \(String(describing: error))")
            return
        }
        #expect(implied.intermediateSize == 40)
        #expect(
            error?.description.hasPrefix(
                "\(weights): tensor 'bert.encoder.layer.0.intermediate.dense.weight' has shape [37, 32]") == true)
    }

    @Test func missingFilesAndTensorsAreNamed() throws {
        let (model, dir) = try savedModel(tinyConfig())
        defer { try? FileManager.default.removeItem(at: dir) }
        let weights = dir.appendingPathComponent("model.safetensors")
        // Drop one encoder tensor.
        let kept = model.layout.tensors.filter { $0.name != "bert.encoder.layer.1.output.dense.bias" }.map {
            SafeTensorsWriter.Tensor(
                name: $0.name, shape: $0.shape, values: UnsafeBufferPointer(model.parameters[$0.range]))
        }
        try SafeTensorsWriter.write(kept, to: weights)
        #expect(throws: ModelError.missingTensor(folder: dir.path, tensor: "bert.encoder.layer.1.output.dense.bias")) {
            try BertModel.load(from: dir)
        }
        try FileManager.default.removeItem(at: weights)
        let none = #expect(throws: FormatError.noWeights(folder: dir.path)) { try BertModel.load(from: dir) }
        #expect(none?.description.hasPrefix("\(dir.path): no model.safetensors") == true)
        let pytorch = dir.appendingPathComponent("pytorch_model.bin")
        try Data().write(to: pytorch)
        #expect(throws: FormatError.unsupportedWeightFormat(folder: dir.path)) { try BertModel.load(from: dir) }
        try FileManager.default.removeItem(at: pytorch)
        let config = dir.appendingPathComponent("config.json")
        try FileManager.default.removeItem(at: config)
        let unreadable = #expect(throws: FileError.self) { try BertModel.load(from: dir) }
        guard case .unreadable(config.path, "the model config", _)? = unreadable else {
            Issue.record("expected \(config.path) unreadable, got \(String(describing: unreadable))")
            return
        }
    }

    @Test func shardedCheckpointsLoad() throws {
        let (model, dir) = try savedModel(tinyConfig())
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("model.safetensors"))
        let specs = model.layout.tensors
        let halves = [Array(specs.prefix(10)), Array(specs.dropFirst(10))]
        var weightMap: [String: String] = [:]
        for (i, half) in halves.enumerated() {
            let name = "model-0000\(i + 1)-of-00002.safetensors"
            try SafeTensorsWriter.write(
                half.map {
                    .init(name: $0.name, shape: $0.shape, values: UnsafeBufferPointer(model.parameters[$0.range]))
                },
                to: dir.appendingPathComponent(name))
            for spec in half { weightMap[spec.name] = name }
        }
        try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": weightMap])
            .write(to: dir.appendingPathComponent("model.safetensors.index.json"))
        let loaded = try BertModel.load(from: dir)
        #expect(Array(loaded.parameters.buffer) == Array(model.parameters.buffer))
    }
}
