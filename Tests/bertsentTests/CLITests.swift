import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// The command line as a new user meets it: a tiny end-to-end run, and bad input that must end with
/// a clear message naming the file, line or field, a non-zero exit and no partial output.
@Suite(.serialized) struct CLITests {
    let tiny = Fixtures.url("model/tiny-legacy").path

    func write(_ text: String, to name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func generateTrainEvaluatePredict() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data/reviews.csv").path
        let generated = try CLI.run(["generate", "--count", "60", "--seed", "3", "--output", data])
        #expect(generated.status == 0, "\(generated.stderr)")
        let run = dir.appendingPathComponent("run").path
        let trained = try CLI.run([
            "train", data, "--model", tiny, "--output-dir", run, "--max-length", "64", "--epochs", "1",
            "--learning-rate", "1e-3", "--log-format", "jsonl", "--group-by-length",
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let lines = trained.stdout.split(separator: "\n")
        #expect(lines.count == 6 + 1, "6 training steps of 8 (48 texts) and one evaluation, as JSON lines: \(lines)")
        #expect(lines.allSatisfy { $0.hasPrefix("{") && $0.contains("\"loss\"") })
        let train = try ReviewDataset.load(csv: URL(fileURLWithPath: run + "/train.csv")).dataset
        let validation = try ReviewDataset.load(csv: URL(fileURLWithPath: run + "/validation.csv")).dataset
        #expect(train.count == 48 && validation.count == 12, "the 80/20 split of 60 is written out")
        let evaluated = try CLI.run(["evaluate", run + "/validation.csv", "--model", run + "/best"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        #expect(FileManager.default.fileExists(atPath: run + "/report/report.html"))
        #expect(FileManager.default.fileExists(atPath: run + "/report/metrics.json"))
        let predicted = try CLI.run([
            "predict", "--model", run + "/best", "--format", "jsonl", "A fine film.", "A dull film.",
        ])
        #expect(predicted.status == 0 && predicted.stdout.split(separator: "\n").count == 2, "\(predicted.stderr)")
    }

    /// Training settings come from the table as flags in every spelling (`--x v`, `--x=v`, `--flag`,
    /// `--no-flag`), anywhere among the other arguments, over a `--config` file; the run saves them.
    @Test func trainingSettingsAsFlagsInEverySpelling() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try write(
            "review,sentiment\ngood,positive\nbad,negative\nfine,positive\npoor,negative\n", to: "d.csv", in: dir)
        let config = try write(#"{"epochs": 4, "learning_rate": 1e-3}"#, to: "c.json", in: dir)
        let out = dir.appendingPathComponent("run")
        let trained = try CLI.run([
            "train", "--max-steps=1", "--model", tiny, "--no-shuffle", data, "--config", config, "--group-by-length",
            "--eval-strategy", "no", "--max-length", "16", "--output-dir", out.path, "--test-size", "2",
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let state = try TrainerState.read(from: out.appendingPathComponent("best"))
        let arguments = state.arguments
        #expect(
            arguments.maxSteps == 1 && !arguments.shuffle && arguments.groupByLength && arguments.evalStrategy == .no)
        #expect(
            arguments.epochs == 4 && arguments.learningRate == 1e-3 && arguments.maxLength == 16,
            "the file's, and a flag's")
        let help = try CLI.run(["train", "--help"])
        #expect(
            TrainingArguments.settings.allSatisfy {
                help.stdout.contains("--" + $0.name.replacingOccurrences(of: "_", with: "-"))
            })
    }

    @Test func badDataNamesFileLineAndField() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run").path
        let cases: [(String, [String])] = [
            ("text,sentiment\n\"good\",positive\n", ["no column 'review'", "text, sentiment"]),
            ("review,sentiment\ngood film,positive\n,negative\nbad film,negative\n", ["line 3"]),
            ("review,sentiment\ngood film,positive\nfine,positive\n", ["one class"]),
        ]
        for (index, (content, fragments)) in cases.enumerated() {
            let path = try write(content, to: "bad\(index).csv", in: dir)
            let result = try CLI.run(["train", path, "--model", tiny, "--output-dir", run, "--max-length", "64"])
            #expect(result.status != 0)
            #expect(result.stderr.contains(path), "names the file: \(result.stderr)")
            for fragment in fragments { #expect(result.stderr.contains(fragment), "\(result.stderr)") }
            #expect(!FileManager.default.fileExists(atPath: run + "/best"), "no partial output")
        }
        let invalid = dir.appendingPathComponent("latin1.csv")
        try (Data("review,sentiment\ncaf".utf8) + [0xE9] + Data(" ok,positive\nbad film,negative\n".utf8)).write(
            to: invalid)  // Latin-1 é
        let result = try CLI.run(["train", invalid.path, "--model", tiny, "--output-dir", run])
        #expect(
            result.status != 0 && result.stderr.contains("UTF-8") && result.stderr.contains("line 2"),
            "\(result.stderr)")
    }

    @Test func badModelsAndSettingsAreNamed() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("model")
        try FileManager.default.copyItem(at: Fixtures.url("model/tiny-legacy"), to: model)
        let weights = model.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: weights)
        try bytes.prefix(bytes.count / 2).write(to: weights)
        let truncated = try CLI.run(["predict", "--model", model.path, "a film"])
        #expect(
            truncated.status != 0 && truncated.stderr.contains(weights.path) && truncated.stderr.contains("truncated"),
            "\(truncated.stderr)")

        let config = model.appendingPathComponent("config.json")
        try Data(#"{"hidden_size": "thirty-two"}"#.utf8).write(to: config)
        let badConfig = try CLI.run(["predict", "--model", model.path, "a film"])
        #expect(
            badConfig.status != 0 && badConfig.stderr.contains(config.path) && badConfig.stderr.contains("hidden_size"),
            "\(badConfig.stderr)")

        let data = try write(
            "review,sentiment\ngood,positive\nbad,negative\nfine,positive\npoor,negative\n", to: "d.csv", in: dir)
        for (flag, value, fragment) in [
            ("--learning-rate", "0", "--learning-rate must be"), ("--batch-size", "0", "--batch-size must be"),
            ("--learning-rate", "nan", "--learning-rate must be"), ("--epochs", "three", "--epochs must be an integer"),
        ] {
            let result = try CLI.run([
                "train", data, "--model", tiny, "--output-dir", dir.appendingPathComponent("r").path,
                "--max-length", "64", "--test-size", "2", flag, value,
            ])
            #expect(result.status != 0 && result.stderr.contains(fragment), "\(flag) \(value): \(result.stderr)")
            #expect(
                !FileManager.default.fileExists(atPath: dir.appendingPathComponent("r").path),
                "no output for a run that cannot start")
        }
        let config2 = try write(#"{"learning_rate": "fast"}"#, to: "c.json", in: dir)
        let badFile = try CLI.run(["train", data, "--model", tiny, "--config", config2])
        #expect(
            badFile.status != 0 && badFile.stderr.contains("c.json") && badFile.stderr.contains("learning_rate"),
            "\(badFile.stderr)")
    }

    @Test func predictInputsKeepTheirLines() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A quoted review spanning lines 2–4, then a short record on line 6 (line 5 is blank).
        let csv = try write(
            "sentiment,review\npositive,\"first line\nsecond line\nthird\"\n\nshort\n", to: "in.csv", in: dir)
        let bad = try CLI.run(["predict", "--model", tiny, "--input", csv])
        #expect(bad.status != 0 && bad.stderr.contains(csv) && bad.stderr.contains("line 6"), "\(bad.stderr)")

        // Lines end at LF, CRLF or CR; a Unicode line separator inside a text does not split it.
        let text = try write("one\u{2028}still one\r\ntwo\rthree\n\n", to: "in.txt", in: dir)
        let split = try CLI.run(["predict", "--model", tiny, "--input", text, "--format", "jsonl"])
        #expect(split.status == 0, "\(split.stderr)")
        #expect(split.stdout.split(separator: "\n").count == 3, "\(split.stdout)")
    }

    /// `predict --output`: 2,000 texts read and scored a piece at a time into a CSV numbered in input order,
    /// with the labels and probabilities the printed predictions have; a bad record halfway through leaves
    /// no file, under the name or beside it.
    @Test func predictOutputWritesEveryRowInOrder() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reviews = (0..<2000).map { "review \($0): " + ($0 % 3 == 0 ? "a fine, moving film" : "dull") }
        let csv = try write(
            "id,review\n" + reviews.enumerated().map { "\($0),\"\($1)\"" }.joined(separator: "\n"), to: "in.csv",
            in: dir)
        let scores = dir.appendingPathComponent("scores.csv").path
        let written = try CLI.run(["predict", "--model", tiny, "--input", csv, "--output", scores])
        #expect(written.status == 0 && written.stdout.isEmpty, "\(written.stderr)")
        #expect(written.stderr.contains("2,000 rows"), "\(written.stderr)")
        let rows = try String(contentsOfFile: scores, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",").map(String.init)
        }
        #expect(rows.first == ["row", "label", "p_neg", "p_neu", "p_pos"], "\(rows.first ?? [])")
        #expect(rows.dropFirst().map { $0[0] } == (1...2000).map(String.init))
        let printed = try CLI.run(["predict", "--model", tiny, "--input", csv, "--format", "jsonl"])
        let lines = printed.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(lines.count == 2000)
        for (row, line) in zip(rows.dropFirst(), lines) {
            let probabilities = try #require(line["probabilities"] as? [String: Double])
            #expect(row[1] == line["label"] as? String)
            #expect(abs(Double(row[4])! - probabilities["pos"]!) < 1e-6)
        }

        let bad = try write(
            "id,review\n" + reviews.prefix(1500).enumerated().map { "\($0),ok" }.joined(separator: "\n")
                + "\n1500,\"never closed\n", to: "bad.csv", in: dir)
        let refused = try CLI.run([
            "predict", "--model", tiny, "--input", bad, "--output", dir.appendingPathComponent("bad-scores.csv").path,
        ])
        #expect(refused.status != 0 && refused.stderr.contains("\(bad): line 1502"), "\(refused.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("bad-scores") }
        #expect(left.isEmpty, "\(left)")
    }
}
