import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Distillation: its loss and gradient against PyTorch's, students made from a teacher, the teacher's
/// logits cache, and whole runs.
@Suite struct DistillationTests {
    /// Eight cases of random logits (softmax over 3 classes and a 1-logit sigmoid; α 0, 0.5, 0.7, 1; τ 1–4;
    /// two texts of six without a label): the loss and its gradient.
    @Test func lossAndGradientMatchPyTorch() throws {
        let fixture = try SafeTensorsFile(url: Fixtures.url("model/distillation_loss.safetensors"))
        var cases = 0
        for head in ["softmax", "sigmoid"] {
            for (alpha, temperature) in [(0.5, 2.0), (1.0, 1.0), (0.0, 3.0), (0.7, 4.0)] {
                let key = "\(head).a\(alpha).t\(temperature)"
                let student = try fixture.floats(key + ".student"), teacher = try fixture.floats(key + ".teacher")
                let labels = try fixture.integers(key + ".labels")
                let numLabels = student.count / labels.count
                var dlogits = [Float](repeating: 0, count: student.count)
                let loss = DistillationLoss(alpha: alpha, temperature: temperature).evaluate(
                    logits: student, teacher: teacher, labels: labels, numLabels: numLabels,
                    denominator: Float(labels.count), dlogits: &dlogits)
                #expect(abs(loss - Double(try fixture.floats(key + ".loss")[0])) <= 1e-6, "\(key): loss")
                #expect(maxAbsDiff(dlogits, try fixture.floats(key + ".dlogits")) <= 1e-7, "\(key): gradient")
                cases += 1
            }
        }
        #expect(cases == 8)
    }

    /// tiny-legacy (BERT) teaching tiny-distilbert (α 0.5, τ 2, one of three texts unlabelled): the
    /// teacher's logits, the loss and the full gradient of every student tensor.
    @Test func wholeModelGradientsMatchPyTorch() throws {
        let fixture = try SafeTensorsFile(url: Fixtures.url("model/tiny_distill_grads.safetensors"))
        let teacher = try Teacher(directory: Fixtures.url("model/tiny-legacy"))
        let student = try BertModel.load(from: DistilBertParityTests.folder)
        let batch = try fixture.tokenBatch()
        let encodings = try teacher.tokenizer.encodeBatch(
            ["good movie", "the worst film i have ever seen!", "it was ok"], maxLength: 64, padding: .doNotPad)
        #expect(encodings.map(\.count) == batch.lengths.map(Int.init))
        let teacherLogits = try teacher.logits(for: encodings, cacheDirectory: nil)
        #expect(teacherLogits.computed == 3)
        #expect(maxAbsDiff(teacherLogits.logits.flatMap { $0 }, try fixture.floats("teacher_logits")) <= 1e-5)
        var settings = TrainingArguments()
        settings.dropout = 0
        let engine = try TrainingEngine(
            model: student, arguments: settings, totalSteps: 1, maxBatch: batch.size, maxSequence: batch.length,
            seed: 0, distillation: DistillationLoss(alpha: 0.5, temperature: 2))
        let loss = try engine.accumulate([
            TrainingBatch(
                tokens: batch, labels: try fixture.integers("labels"),
                teacherLogits: try fixture.floats("teacher_logits"))
        ])
        #expect(abs(loss - Double(try fixture.floats("loss")[0])) <= 1e-5)
        try expectGradients(engine, match: fixture)
    }

    @Test func layerMappingSpreadsEvenly() {
        #expect(BertModel.studentLayerMapping(teacherLayers: 6, studentLayers: 3) == [0, 2, 4])
        #expect(BertModel.studentLayerMapping(teacherLayers: 6, studentLayers: 2) == [0, 3])
        #expect(BertModel.studentLayerMapping(teacherLayers: 6, studentLayers: 4) == [0, 1, 3, 4])
        #expect(BertModel.studentLayerMapping(teacherLayers: 12, studentLayers: 6) == [0, 2, 4, 6, 8, 10])
        #expect(BertModel.studentLayerMapping(teacherLayers: 2, studentLayers: 2) == [0, 1])
    }

    /// A DistilBERT student with all of a BERT teacher's layers computes the same encoder output (the
    /// type-0 token-type embedding folded into the positions), and saves a folder that loads back the same.
    @Test func distilbertStudentKeepsTheTeachersEncoder() throws {
        let teacher = try BertModel.load(from: Fixtures.url("model/tiny-legacy"))
        let student = try BertModel.student(of: teacher, layers: [0, 1], architecture: .distilbert)
        #expect(student.config.architecture == .distilbert && student.config.teacherLayers == [0, 1])
        let batch = try SafeTensorsFile(url: Fixtures.url("model/tiny_outputs.safetensors")).tokenBatch()
        func hidden(_ model: BertModel) throws -> [Float] {
            let acts = try Activations(
                config: model.config, maxBatch: batch.size, maxSequence: batch.length, training: true)
            try model.forward(batch, acts: acts, allPositions: true)
            return try model.lastHiddenState(batch, acts: acts)
        }
        #expect(maxAbsDiff(try hidden(student), try hidden(teacher)) <= 1e-5)
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try student.save(to: folder)
        let reloaded = try BertModel.load(from: folder)
        #expect(reloaded.config == student.config && reloaded.untrainedTensors.isEmpty)
        #expect(Array(reloaded.parameters.buffer) == Array(student.parameters.buffer))
        let saved = try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("config.json")))
        let fields = try #require(saved as? [String: Any])
        #expect(fields["model_type"] as? String == "distilbert" && fields["n_layers"] as? Int == 2)
        #expect(fields["hidden_size"] == nil && fields["type_vocab_size"] == nil && fields["dim"] as? Int == 32)
    }

    /// Layers taken from the teacher are its layers, bit for bit.
    @Test func studentLayersAreTheTeachers() throws {
        let teacher = try BertModel.load(from: Fixtures.url("model/tiny-legacy"))
        let student = try BertModel.student(of: teacher, layers: [1], architecture: .bert)
        #expect(student.config.numHiddenLayers == 1)
        let a = try #require(student.tensor(named: "bert.encoder.layer.0.output.dense.weight"))
        let b = try #require(teacher.tensor(named: "bert.encoder.layer.1.output.dense.weight"))
        #expect(Array(a) == Array(b))
        #expect(throws: ModelError.invalidStudentLayers([2], teacherLayers: 2)) {
            try BertModel.student(of: teacher, layers: [2], architecture: .bert)
        }
    }

    /// The cache gives the logits back without computing them, each distinct text is computed once; a
    /// teacher whose weights changed computes them again.
    @Test func teacherLogitsAreCachedPerTeacher() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("teacher")
        try FileManager.default.copyItem(at: Fixtures.url("model/tiny-legacy"), to: folder)
        let cache = root.appendingPathComponent("cache")
        let encodings = try BertTokenizer(directory: folder).encodeBatch(
            ["good movie", "a bad film", "it was ok"], maxLength: 64, padding: .doNotPad)
        let first = try Teacher(directory: folder).logits(for: encodings, cacheDirectory: cache)
        #expect(first.computed == 3)
        let again = try Teacher(directory: folder).logits(for: encodings, cacheDirectory: cache)
        #expect(again.computed == 0 && again.logits == first.logits)
        let more = try Teacher(directory: folder).logits(
            for: encodings + [try BertTokenizer(directory: folder).encode("a new text", maxLength: 64)],
            cacheDirectory: cache)
        #expect(more.computed == 1 && Array(more.logits.prefix(3)) == first.logits)
        // A text given twice (as in a validation set that repeats training texts) is computed once, so
        // both get the values the cache keeps.
        let twice = try Teacher(directory: folder).logits(for: encodings + encodings.reversed(), cacheDirectory: nil)
        #expect(twice.computed == 3 && Array(twice.logits.suffix(3)) == twice.logits.prefix(3).reversed())

        let model = try BertModel.load(from: folder)
        model.tensor(named: "classifier.bias")![0] += 1
        try model.save(to: folder)
        let changed = try Teacher(directory: folder).logits(for: encodings, cacheDirectory: cache)
        #expect(changed.computed == 3)
        #expect(zip(changed.logits, first.logits).allSatisfy { abs($0[0] - $1[0] - 1) < 1e-5 })
    }

    /// A bare encoder (no classifier in its checkpoint) cannot teach.
    @Test func aTeacherNeedsATrainedHead() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in ["config.json", "vocab.txt", "tokenizer_config.json"] {
            try FileManager.default.copyItem(
                at: Fixtures.url("model/tiny-legacy/" + file), to: folder.appendingPathComponent(file))
        }
        let model = try BertModel.load(from: Fixtures.url("model/tiny-legacy"))
        let encoder = model.layout.tensors.filter { !$0.name.hasPrefix("classifier.") }.map {
            SafeTensorsWriter.Tensor(
                name: $0.name, shape: $0.shape, values: UnsafeBufferPointer(model.parameters[$0.range]))
        }
        try SafeTensorsWriter.write(encoder, to: folder.appendingPathComponent("model.safetensors"))
        #expect(
            throws: TrainingError.teacherWithoutHead(
                folder: folder.path, missing: ["classifier.weight", "classifier.bias"])
        ) {
            try Teacher(directory: folder)
        }
    }
}
