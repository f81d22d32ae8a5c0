import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// `bertsent distill` as a user runs it: a teacher trained here, a student distilled from it on texts some
/// of which have no label, and bad input named with a non-zero exit and nothing written.
@Suite(.serialized) struct DistillCLITests {
    let tiny = Fixtures.url("model/tiny-legacy").path

    func environment(_ home: URL) -> [String: String] {
        ProcessInfo.processInfo.environment.merging(["BERTSENT_HOME": home.path]) { $1 }
    }

    @Test func trainThenDistillThenEvaluate() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("reviews.csv").path
        #expect(try CLI.run(["generate", "--count", "60", "--seed", "5", "--output", data]).status == 0)
        let teacher = dir.appendingPathComponent("teacher").path
        let trained = try CLI.run([
            "train", data, "--model", tiny, "--output-dir", teacher, "--max-length", "64", "--epochs", "1",
            "--learning-rate", "1e-3",
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        // Half the rows lose their label: they learn from the teacher alone.
        var lines = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n").map(String.init)
        for i in stride(from: 2, to: lines.count, by: 2) {
            lines[i] = String(lines[i][..<lines[i].lastIndex(of: ",")!]) + ","
        }
        let partlyLabelled = dir.appendingPathComponent("partly.csv")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: partlyLabelled)
        let student = dir.appendingPathComponent("student").path
        let distilled = try CLI.run(
            [
                "distill", partlyLabelled.path, "--teacher", teacher + "/best", "--student-arch", "distilbert",
                "--epochs", "2", "--learning-rate", "1e-3", "--temperature", "3", "--output-dir", student,
            ], environment: environment(dir))
        #expect(distilled.status == 0, "\(distilled.stderr)")
        #expect(
            distilled.stdout.contains("into")
                && distilled.stdout.contains("1 layers, distilbert (layers 0 of the teacher)"))
        #expect(distilled.stdout.contains("without a label"))
        let config = try BertConfig(contentsOf: URL(fileURLWithPath: student + "/best/config.json"))
        #expect(config.architecture == .distilbert && config.numHiddenLayers == 1 && config.teacherLayers == [0])
        let state = try TrainerState.read(from: URL(fileURLWithPath: student + "/best"))
        #expect(state.distillation?.arguments.temperature == 3)
        let cached = try FileManager.default.contentsOfDirectory(
            atPath: dir.appendingPathComponent("teacher-logits").path)
        #expect(cached.count == 1 && cached[0].hasSuffix("-fp32.json"))
        let evaluated = try CLI.run([
            "evaluate", data, "--model", student + "/best", "--output-dir", dir.path + "/eval",
        ])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")

        // A student cut from a model folder's layers (here the teacher's own folder: 2 layers give 1).
        func fromModel(_ layers: String) throws -> CLI.Output {
            try CLI.run(
                [
                    "distill", data, "--teacher", teacher + "/best", "--student-model", teacher + "/best",
                    "--student-layers", layers,
                    "--max-steps", "2", "--output-dir", dir.path + "/cut-" + layers,
                ], environment: environment(dir))
        }
        let cut = try fromModel("1")
        #expect(cut.status == 0 && cut.stdout.contains("1 layers, bert (layers 0 of \(teacher)/best)"), "\(cut.stderr)")
        let cutConfig = try BertConfig(contentsOf: dir.appendingPathComponent("cut-1/best/config.json"))
        #expect(cutConfig.numHiddenLayers == 1 && cutConfig.teacherLayers == [0])
        let tooMany = try fromModel("3")
        #expect(
            tooMany.status != 0 && tooMany.stderr.contains("at most the 2 layers of \(teacher)/best"),
            "\(tooMany.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/cut-3"))
    }

    @Test func badTeachersStudentsAndDataAreNamed() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("d.csv")
        try Data("review,sentiment\ngood film,pos\nbad film,neg\nok film,neu\nfine,\n".utf8).write(to: data)
        func distill(_ extra: [String], teacher: String? = nil, data path: String? = nil) throws -> CLI.Output {
            try CLI.run(
                [
                    "distill", path ?? data.path, "--teacher", teacher ?? tiny, "--validation-file", data.path,
                    "--output-dir", dir.path + "/out", "--max-length", "64",
                ] + extra,
                environment: environment(dir))
        }

        // A student whose vocabulary differs.
        let otherVocabulary = dir.appendingPathComponent("other")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: tiny), to: otherVocabulary)
        let vocab = otherVocabulary.appendingPathComponent("vocab.txt")
        var tokens = try String(contentsOf: vocab, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        tokens[500] = "zzzz"
        try Data(tokens.joined(separator: "\n").utf8).write(to: vocab)
        let vocabulary = try distill(["--student-model", otherVocabulary.path])
        #expect(vocabulary.status != 0 && vocabulary.stderr.contains(otherVocabulary.path))
        #expect(vocabulary.stderr.contains("token 500 is 'zzzz'"), "\(vocabulary.stderr)")

        // A student with other classes.
        let otherClasses = dir.appendingPathComponent("classes")
        try BertModel.load(from: URL(fileURLWithPath: tiny), classes: ["bad", "good"]).save(to: otherClasses)
        for file in ["vocab.txt", "tokenizer_config.json"] {
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: tiny).appendingPathComponent(file),
                to: otherClasses.appendingPathComponent(file))
        }
        let classes = try distill(["--student-model", otherClasses.path])
        #expect(classes.status != 0 && classes.stderr.contains("[\"bad\", \"good\"]"), "\(classes.stderr)")

        // A teacher without a head: the student folder above with its classifier removed is a bare encoder.
        let bare = dir.appendingPathComponent("bare")
        try FileManager.default.copyItem(at: otherClasses, to: bare)
        let model = try BertModel.load(from: bare)
        try SafeTensorsWriter.write(
            model.layout.tensors.filter { !$0.name.hasPrefix("classifier.") }.map {
                SafeTensorsWriter.Tensor(
                    name: $0.name, shape: $0.shape, values: UnsafeBufferPointer(model.parameters[$0.range]))
            }, to: bare.appendingPathComponent("model.safetensors"))
        let headless = try distill([], teacher: bare.path)
        #expect(headless.status != 0 && headless.stderr.contains("cannot teach"), "\(headless.stderr)")

        // Every text empty.
        let empty = dir.appendingPathComponent("empty.csv")
        try Data("review,sentiment\n\"\",pos\n  ,neg\n".utf8).write(to: empty)
        let noTexts = try distill([], data: empty.path)
        #expect(
            noTexts.status != 0 && noTexts.stderr.contains(empty.path) && noTexts.stderr.contains("line"),
            "\(noTexts.stderr)")

        #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"), "nothing written for bad input")
    }
}
