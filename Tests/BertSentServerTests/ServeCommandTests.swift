import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// `bertsent serve` as an operator runs it: a real process, stopped with SIGTERM.
@Suite("CLI: serve", .serialized, .tags(.defaultModel))
struct ServeCommandTests {
    /// Starts `bertsent serve --port 0` and returns the process and the port it printed.
    func startServe(_ arguments: [String] = []) throws -> (Process, Int, Pipe) {
        let process = Process()
        guard let executable = CLI.executable else { throw TestFailure("the bertsent executable was not built") }
        process.executableURL = executable
        process.arguments = ["serve", "--port", "0", "--model", Fixtures.defaultModel.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var printed = Data()
        while !printed.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed.append(chunk)
        }
        let line = String(decoding: printed, as: UTF8.self)
        let port = try #require(
            line.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) },
            "\(line)")
        return (process, port, output)
    }

    @Test("SIGTERM stops accepting, answers the request in flight, and exits 0")
    func gracefulShutdown() async throws {
        let (process, port, _) = try startServe(["--max-wait-ms", "0"])
        let base = URL(string: "http://127.0.0.1:\(port)")!
        try await waitUntilHealthy(base)
        let body = try JSONSerialization.data(withJSONObject: [
            "inputs": (0..<32).map { _ in [longReview] }, "truncate": true,
        ])
        let inFlight = Task { try await send("POST", base.appendingPathComponent("predict"), body: body) }
        // SIGTERM once the request is in flight — read and tokenised, as the metrics count it — not merely
        // sent: a connection whose request is still unread when the server stops is closed like an idle one.
        while try await send("GET", base.appendingPathComponent("metrics")).text.contains(
            "bertsent_tokenization_duration_seconds_count 0\n")
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(process.processIdentifier, SIGTERM)
        let reply = try await inFlight.value
        #expect(reply.status == 200, "\(reply.text)")
        #expect((try reply.json() as? [Any])?.count == 32)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        await #expect(throws: (any Error).self) { try await send("GET", base.appendingPathComponent("health")) }
    }

    @Test(
        "--precision bf16 serves predictions close to FP32's and says so in /info")
    func bf16Precision() async throws {
        let (process, port, _) = try startServe(["--precision", "bf16"])
        defer {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        let base = URL(string: "http://127.0.0.1:\(port)")!
        try await waitUntilHealthy(base)
        let info = try #require(try await send("GET", base.appendingPathComponent("info")).json() as? [String: Any])
        #expect(info["precision"] as? String == "bf16")
        let body = try JSONSerialization.data(withJSONObject: ["inputs": "A wonderful film.", "raw_scores": true])
        let reply = try await send("POST", base.appendingPathComponent("predict"), body: body)
        let scores = try #require(try reply.json() as? [[String: Any]], "\(reply.text)")
        let expected = try Predictor(directory: Fixtures.defaultModel).predict(["A wonderful film."])[0]
        for score in scores {
            let label = try #require(score["label"] as? String), value = try #require(score["score"] as? Double)
            let index = try #require(expected.classes.firstIndex(of: label))
            #expect(
                abs(value - Double(expected.logits[index]))
                    <= Double(ReducedPrecisionTolerance.of(.bf16).logits), "\(label)")
        }
    }

    @Test("a missing model or an impossible setting exits non-zero with a message, serving nothing")
    func badArguments() throws {
        let missing = try CLI.run(["serve", "--port", "0", "--model", "/nonexistent/model-dir"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/nonexistent/model-dir"), "\(missing.stderr)")
        let badPort = try CLI.run(["serve", "--port", "99999", "--model", Fixtures.defaultModel.path])
        #expect(badPort.status != 0)
        #expect(badPort.stderr.contains("--port"), "\(badPort.stderr)")
        let badQueue = try CLI.run([
            "serve", "--port", "0", "--max-queued-inputs", "4", "--model", Fixtures.defaultModel.path,
        ])
        #expect(badQueue.status != 0)
        #expect(badQueue.stderr.contains("--max-queued-inputs"), "\(badQueue.stderr)")
    }
}
