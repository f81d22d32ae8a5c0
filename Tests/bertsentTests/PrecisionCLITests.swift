import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// `--precision` as a user passes it to predict, evaluate and bench.
@Suite(.serialized, .tags(.defaultModel)) struct PrecisionCLITests {
    let model = Fixtures.defaultModel.path
    let texts = ["A wonderful film.", "Dull and far too long.", "It was fine."]

    struct Line: Decodable {
        let label: String
        let probabilities: [String: Float]
    }

    func predict(_ precision: [String]) throws -> [Line] {
        let result = try CLI.run(["predict", "--model", model, "--format", "jsonl"] + precision + texts)
        #expect(result.status == 0, "\(result.stderr)")
        return try result.stdout.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
    }

    @Test(
        "predict --precision bf16 gives FP32's labels and probabilities within the bf16 tolerance")
    func predictInBf16() throws {
        let fp32 = try predict([]), explicit = try predict(["--precision", "fp32"]),
            bf16 = try predict(["--precision", "bf16"])
        #expect(fp32.count == texts.count && bf16.count == texts.count)
        #expect(explicit.map(\.probabilities) == fp32.map(\.probabilities), "fp32 is the default")
        for (a, b) in zip(fp32, bf16) {
            for (label, p) in a.probabilities {
                #expect(
                    abs(p - (b.probabilities[label] ?? .infinity))
                        <= ReducedPrecisionTolerance.of(.bf16).logits, "\(label)")
            }
        }
        #expect(bf16.map(\.probabilities) != fp32.map(\.probabilities), "bf16 really ran")
    }

    @Test(
        "predict --precision int8 gives probabilities within the int8 tolerance; train refuses int8")
    func predictInInt8() throws {
        let fp32 = try predict([]), int8 = try predict(["--precision", "int8"])
        #expect(int8.count == texts.count)
        for (a, b) in zip(fp32, int8) {
            for (label, p) in a.probabilities {
                #expect(
                    abs(p - (b.probabilities[label] ?? .infinity))
                        <= ReducedPrecisionTolerance.of(.int8).logits, "\(label)")
            }
        }
        #expect(int8.map(\.probabilities) != fp32.map(\.probabilities), "int8 really ran")
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("reviews.csv").path
        #expect(try CLI.run(["generate", "--count", "20", "--output", data]).status == 0)
        let train = try CLI.run([
            "train", data, "--model", Fixtures.url("model/tiny-legacy").path, "--output-dir",
            dir.appendingPathComponent("run").path, "--precision", "int8",
        ])
        #expect(
            train.status != 0
                && train.stderr.contains("--precision must be fp32 or bf16 (int8 is for inference), got int8"),
            "\(train.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("run/best").path))
    }

    @Test("evaluate and bench take --precision bf16")
    func evaluateAndBenchInBf16() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("reviews.csv")
        try Data(
            "review,sentiment\nA wonderful film.,LABEL_1\nDull and far too long.,LABEL_0\nLoved it.,LABEL_1\n".utf8
        ).write(to: csv)
        let evaluated = try CLI.run([
            "evaluate", csv.path, "--model", model, "--output-dir", dir.appendingPathComponent("report").path,
            "--precision", "bf16",
        ])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("report/metrics.json").path))
        let bench = try CLI.run([
            "bench", "inference", "--model", model, "--batch-size", "2", "--seq-len", "16", "--repetitions", "1",
            "--precision", "bf16",
        ])
        #expect(bench.status == 0 && bench.stdout.contains(#""precision":"bf16""#), "\(bench.stdout) \(bench.stderr)")
    }

    @Test(
        "train --precision bf16, or precision in the config file, trains in bf16 and records it in the checkpoint")
    func trainInBf16() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("reviews.csv").path
        #expect(try CLI.run(["generate", "--count", "40", "--seed", "5", "--output", data]).status == 0)
        let config = dir.appendingPathComponent("settings.json")
        try Data(#"{"precision": "bf16"}"#.utf8).write(to: config)
        for (name, options) in [("flag", ["--precision", "bf16"]), ("file", ["--config", config.path])] {
            let run = dir.appendingPathComponent(name).path
            let trained = try CLI.run(
                [
                    "train", data, "--model", Fixtures.url("model/tiny-legacy").path, "--output-dir", run,
                    "--max-length", "32", "--epochs", "1", "--learning-rate", "1e-3",
                ] + options)
            #expect(trained.status == 0, "\(trained.stderr)")
            let checkpoint = try FileManager.default.contentsOfDirectory(atPath: run).first {
                $0.hasPrefix("checkpoint-")
            }
            let state = try String(
                contentsOfFile: "\(run)/\(checkpoint ?? "missing")/trainer_state.json", encoding: .utf8)
            #expect(
                state.contains(#""precision":"bf16""#) || state.contains(#""precision" : "bf16""#),
                "\(name): \(state.prefix(400))")
            #expect(FileManager.default.fileExists(atPath: run + "/best/model.safetensors"))
        }
    }

    @Test("an unknown precision, or one for a command that does not take it, exits non-zero naming the choices")
    func badPrecision() throws {
        let unknown = try CLI.run(["predict", "--model", model, "--precision", "fp16", "a film"])
        #expect(
            unknown.status != 0 && unknown.stderr.contains("fp32") && unknown.stderr.contains("bf16"),
            "\(unknown.stderr)")
        let tokenizer = try CLI.run(["bench", "tokenizer", "--model", model, "--precision", "bf16"])
        #expect(
            tokenizer.status != 0 && tokenizer.stderr.contains("--precision applies to train, inference and reviews"),
            "\(tokenizer.stderr)")
    }

    /// BERTSENT_ISA caps the kernels: under each level this CPU runs, `bench info` and `bench inference`
    /// name the kernels that level gives, and a value that names no level stops any command (exit 65).
    @Test(
        "BERTSENT_ISA picks the kernels that run, and an unknown value is refused", arguments: KernelSet.availableCaps)
    func instructionSetCap(cap: InstructionSet) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["BERTSENT_ISA"] = cap.rawValue
        let expected = KernelSet(cpu: .current, cap: cap)
        let info = try CLI.run(["bench", "info"], environment: environment)
        #expect(info.status == 0, "\(info.stderr)")
        let kernels = try JSONDecoder().decode(
            KernelSet.self,
            from: JSONSerialization.data(
                withJSONObject: try #require(
                    (try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])?["kernels"])))
        #expect(kernels == expected)
        let bench = try CLI.run(
            [
                "bench", "inference", "--model", model, "--batch-size", "1", "--seq-len", "8", "--repetitions", "1",
                "--precision", "int8",
            ], environment: environment)
        #expect(bench.stdout.contains(#""kernel":"\#(expected.int8.rawValue)""#), "\(bench.stdout) \(bench.stderr)")
        environment["BERTSENT_ISA"] = "avx1024"
        let refused = try CLI.run(["predict", "--model", model, "Fine."], environment: environment)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("BERTSENT_ISA=avx1024 names no instruction-set level"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
    }
}
