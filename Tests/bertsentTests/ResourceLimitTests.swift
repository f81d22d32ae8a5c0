import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Runs that cannot fit in memory are refused before they start, with the estimate and the limit.
@Suite struct ResourceLimitTests {
    /// 2,048 texts × 512 tokens of the default model need over 100 GB: refused before any step, with
    /// out-of-memory's exit code, naming the shape, the estimate and the limit, and nothing written.
    @Test func aBatchThatCannotFitIsRefusedBeforeTraining() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = Array(repeating: "a truly great film", count: 200).joined(separator: " ")
        let rows = (0..<6).map { "\"\(long) \($0)\",\($0 % 2 == 0 ? "positive" : "negative")" }
        let data = dir.appendingPathComponent("long.csv")
        try Data((["review,sentiment"] + rows).joined(separator: "\n").utf8).write(to: data)
        let run = dir.appendingPathComponent("run")
        let result = try CLI.run([
            "train", data.path, "--model", Fixtures.defaultModel.path, "--batch-size", "2048", "--max-length", "512",
            "--test-size", "2", "--output-dir", run.path,
        ])
        #expect(result.status == 71, "\(result.stderr)")
        let message = result.stderr
        #expect(
            message.contains("training batches of 2048 texts × 512 tokens would need about")
                && message.contains("GB limit (") && message.contains("use a smaller batch"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: run.path), "nothing written")
    }
}
