import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Whole distillation runs: tiny-legacy (BERT, 2 layers, 3 classes) teaching a 1-layer DistilBERT on
/// texts some of which have no label.
@Suite struct DistillationRunTests {
    static let teacherFolder = Fixtures.url("model/tiny-legacy")
    static let texts = [
        "good film", "a great movie", "i love it", "the best film", "bad film", "the worst movie", "i hate it",
        "boring movie", "it was ok", "an average film", "fine i guess", "nothing special",
    ]
    /// neg 0, neu 1, pos 2; the last of each class has no label.
    static let labels = [2, 2, 2, -1, 0, 0, 0, -1, 1, 1, 1, -1]

    func arguments() -> TrainingArguments {
        var arguments = TrainingArguments()
        arguments.batchSize = 4
        arguments.maxLength = 64
        arguments.epochs = 3
        arguments.evalStrategy = .steps
        arguments.evalSteps = 2
        arguments.learningRate = 1e-3
        arguments.warmupSteps = 1
        return arguments
    }

    func trainer(_ output: URL, cache: URL) throws -> Trainer {
        let teacher = try Teacher(directory: Self.teacherFolder)
        let student = try BertModel.student(of: teacher.model, layers: [1], architecture: .distilbert)
        var distillation = DistillationArguments()
        distillation.temperature = 2
        let data = TextsAndClasses(texts: Self.texts, labels: Self.labels)
        return try Trainer(
            student: student, teacher: teacher, train: data, validation: data, arguments: arguments(),
            distillation: distillation, cacheDirectory: cache, outputDirectory: output)
    }

    /// The run learns (the loss falls), saves a DistilBERT best/ that loads back with the teacher's
    /// classes and tokenizer, records its teacher, and an interrupted run resumed ends bit for bit where
    /// the whole run did, its teacher's logits read from the cache.
    @Test func runsAndResumesExactly() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let cache = root.appendingPathComponent("cache")
        let whole = try trainer(root.appendingPathComponent("whole"), cache: cache)
        let state = try whole.run()
        #expect(state.globalStep == 9)
        #expect(state.distillation?.teacherSHA256 == (try Teacher(directory: Self.teacherFolder)).weightsDigest)
        let losses = try TrainingLogEntry.read(from: whole.logURL).filter { $0.kind == .train }.map(\.loss)
        #expect(losses.last! < losses.first!, "losses \(losses)")
        let best = try BertModel.load(from: whole.bestDirectory)
        #expect(best.config.architecture == .distilbert && best.config.classNames == ["neg", "neu", "pos"])
        #expect(try BertTokenizer(directory: whole.bestDirectory).options.tokenizerClass == "DistilBertTokenizer")

        let folder = root.appendingPathComponent("interrupted")
        #expect(try trainer(folder, cache: cache).run(stopAfter: 4).globalStep == 4)
        let data = TextsAndClasses(texts: Self.texts, labels: Self.labels)
        let resumed = try Trainer.resume(
            from: folder.appendingPathComponent("checkpoint-4"), train: data, validation: data, outputDirectory: folder,
            cacheDirectory: cache)
        #expect(try resumed.run().globalStep == 9)
        let a = Array(whole.model.parameters.buffer), b = Array(resumed.model.parameters.buffer)
        #expect(zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }, "weights differ by up to \(maxAbsDiff(a, b))")
    }

    /// A resumed run whose teacher changed is refused by name.
    @Test func resumeRefusesAChangedTeacher() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let teacherCopy = root.appendingPathComponent("teacher")
        try FileManager.default.copyItem(at: Self.teacherFolder, to: teacherCopy)
        let teacher = try Teacher(directory: teacherCopy)
        let student = try BertModel.student(of: teacher.model, layers: [0], architecture: .bert)
        let data = TextsAndClasses(texts: Self.texts, labels: Self.labels)
        let output = root.appendingPathComponent("run")
        try Trainer(
            student: student, teacher: teacher, train: data, validation: data, arguments: arguments(),
            distillation: DistillationArguments(), cacheDirectory: nil, outputDirectory: output
        ).run(stopAfter: 2)
        let model = try BertModel.load(from: teacherCopy)
        model.tensor(named: "classifier.bias")![0] += 1
        try model.save(to: teacherCopy)
        #expect {
            try Trainer.resume(
                from: output.appendingPathComponent("checkpoint-2"), train: data, validation: data,
                outputDirectory: output)
        } throws: { error in
            guard case .teacherChanged(folder: teacherCopy.path, _, _) = error as? TrainingError else { return false }
            return true
        }
    }

    /// A student must have the teacher's classes, and distillation takes no class weights.
    @Test func mismatchedStudentsAreRefused() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let teacher = try Teacher(directory: Self.teacherFolder)
        let data = TextsAndClasses(texts: Self.texts, labels: Self.labels)
        let other = try BertModel.load(from: Self.teacherFolder, classes: ["bad", "good"])
        #expect {
            try Trainer(
                student: other, teacher: teacher, train: data, validation: data, arguments: arguments(),
                distillation: DistillationArguments(), cacheDirectory: nil, outputDirectory: root)
        } throws: { error in
            guard
                case .classesDifferFromTeacher(_, ["bad", "good"], _, ["neg", "neu", "pos"]) = error as? TrainingError
            else { return false }
            return true
        }
        var weighted = arguments()
        weighted.classWeights = [1, 2, 1]
        #expect {
            try Trainer(
                student: try BertModel.student(of: teacher.model, layers: [0], architecture: .bert), teacher: teacher,
                train: data, validation: data, arguments: weighted, distillation: DistillationArguments(),
                cacheDirectory: nil, outputDirectory: root)
        } throws: { error in
            guard case .unsupportedInDistillation(setting: "class_weights", _) = error as? TrainingError else {
                return false
            }
            return true
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("log.jsonl").path))
    }
}
