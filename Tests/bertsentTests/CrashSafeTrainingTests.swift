import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Training runs killed, stopped and starved of disk as a preempted or crowded machine would: real
/// `bertsent train` processes on the tiny checkpoint, 36 updates with a checkpoint (and an evaluation)
/// every 3.
@Suite(.serialized) struct CrashSafeTrainingTests {
    let tiny = Fixtures.url("model/tiny-legacy").path

    func arguments(data: String, run: String) -> [String] {
        [
            "train", data, "--model", tiny, "--output-dir", run, "--max-length", "64", "--epochs", "3",
            "--batch-size", "4", "--eval-strategy", "steps", "--eval-steps", "3", "--learning-rate", "1e-3",
            "--warmup-steps", "2", "--log-format", "jsonl",
        ]
    }

    /// 60 generated reviews in `directory`: 48 to train on (12 updates an epoch), 12 to validate.
    func reviews(in directory: URL) throws -> String {
        let data = directory.appendingPathComponent("reviews.csv").path
        let generated = try CLI.run(["generate", "--count", "60", "--seed", "5", "--output", data])
        try #require(generated.status == 0, "\(generated.stderr)")
        return data
    }

    /// The final weights a run leaves: its last checkpoint's and best/'s.
    func finalWeights(_ run: String) throws -> [Data] {
        try ["checkpoint-36", "best"].map {
            try Data(contentsOf: URL(fileURLWithPath: "\(run)/\($0)/model.safetensors"))
        }
    }

    /// What a killed run had reached: the last update it logged, and the folder it was writing when
    /// the kill came, if any (a hidden `.NAME.partial` or `.NAME.old`).
    func phase(of run: String, pausedAt: String?) -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: run)) ?? []
        let log = (try? String(contentsOfFile: run + "/log.jsonl", encoding: .utf8)) ?? ""
        let step = log.split(separator: "\n").last.flatMap { line in
            line.range(of: #""step":\d+"#, options: .regularExpression).map { line[$0].dropFirst(7) }
        }
        let writing = names.filter { $0.hasPrefix(".") }.sorted()
        let where_ = pausedAt.map { "paused in \($0)" } ?? (writing.isEmpty ? "between writes" : "writing \(writing)")
        return "after step \(step.map(String.init) ?? "none"), \(where_)"
    }

    /// SIGKILL at 20 moments — 15 at random times, 5 paused inside checkpoint writes (each phase of a
    /// write, and `best/`'s) — then `--resume` with the run folder: every run ends with the weights of
    /// one never interrupted, bit for bit.
    @Test func killedRunsResumeToTheSameWeights() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try reviews(in: dir)
        let reference = dir.appendingPathComponent("reference").path
        let started = Date()
        let whole = try CLI.run(arguments(data: data, run: reference))
        let duration = Date().timeIntervalSince(started)
        try #require(whole.status == 0, "\(whole.stderr)")
        let expected = try finalWeights(reference)

        let pausePoints = [
            "checkpoint-6/model", "checkpoint-12/optimizer", "checkpoint-18/state", "checkpoint-24/renamed",
            "best/model",
        ]
        let moments: [String?] = Array(repeating: nil, count: 15) + pausePoints
        var phases: [String] = []
        for (index, pausePoint) in moments.enumerated() {
            let run = dir.appendingPathComponent("killed-\(index)").path
            var environment = ProcessInfo.processInfo.environment
            let pauseFile = dir.appendingPathComponent("paused-\(index)").path
            if let pausePoint { environment["BERTSENT_TEST_PAUSE"] = "\(pausePoint):\(pauseFile)" }
            // A random moment is drawn again, earlier, if the run finished before it.
            var window = 0.8
            var process: Process
            repeat {
                try? FileManager.default.removeItem(atPath: run)
                process = try CLI.start(
                    arguments(data: data, run: run), environment: environment,
                    log: dir.appendingPathComponent("killed-\(index).log"))
                if pausePoint != nil {
                    let deadline = Date().addingTimeInterval(120)
                    while !FileManager.default.fileExists(atPath: pauseFile), process.isRunning, Date() < deadline {
                        usleep(5_000)
                    }
                    try #require(FileManager.default.fileExists(atPath: pauseFile), "never reached \(pausePoint!)")
                } else {
                    usleep(UInt32(Double.random(in: 0.02...window) * duration * 1e6))
                }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                window /= 2
            } while process.terminationReason == .exit && process.terminationStatus == 0 && window > 0.05
            let log =
                (try? String(contentsOf: dir.appendingPathComponent("killed-\(index).log"), encoding: .utf8)) ?? ""
            try #require(process.terminationReason == .uncaughtSignal, "run \(index) was not killed: \(log)")
            phases.append(phase(of: run, pausedAt: pausePoint))

            var resumed = try CLI.run(arguments(data: data, run: run) + ["--resume", run])
            // Killed before its first checkpoint (or before it made its folder): the user starts again.
            if resumed.status == 66,
                resumed.stderr.contains("no checkpoint-STEP folder") || resumed.stderr.contains("No such file")
            {
                phases[index] += "; no checkpoint yet, started over"
                resumed = try CLI.run(arguments(data: data, run: run))
            }
            #expect(resumed.status == 0, "kill \(index) (\(phases[index])): \(resumed.stderr)")
            #expect(try finalWeights(run) == expected, "kill \(index) (\(phases[index])): weights differ")
        }
        print("CrashSafeTrainingTests: uninterrupted run \(String(format: "%.2f", duration)) s; kills:")
        for (index, phase) in phases.enumerated() { print("  \(index): \(phase)") }
    }

    /// SIGTERM (a preempted machine) ends the run at the next step boundary with a checkpoint, a
    /// non-zero exit and the command that resumes it, which finishes with an uninterrupted run's weights.
    @Test func sigtermSavesACheckpointAndPrintsTheResumeCommand() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try reviews(in: dir)
        let reference = dir.appendingPathComponent("reference").path
        try #require(try CLI.run(arguments(data: data, run: reference)).status == 0)

        let run = dir.appendingPathComponent("stopped").path
        let log = dir.appendingPathComponent("stopped.log")
        var environment = ProcessInfo.processInfo.environment
        let pauseFile = dir.appendingPathComponent("paused").path
        // Paused after step 6's checkpoint, so the signal surely arrives mid-run; released at once, the
        // run stops at that step's end without writing it again.
        environment["BERTSENT_TEST_PAUSE"] = "checkpoint-6/renamed:\(pauseFile)"
        let process = try CLI.start(arguments(data: data, run: run), environment: environment, log: log)
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: pauseFile), process.isRunning, Date() < deadline { usleep(5_000) }
        kill(process.processIdentifier, SIGTERM)
        try FileManager.default.removeItem(atPath: pauseFile)
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + SIGTERM, "\(output)")
        #expect(output.contains("stopped by SIGTERM after step 6"), "\(output)")
        let command = try #require(output.split(separator: "\n").first { $0.hasPrefix("To continue: ") })
        #expect(command.hasSuffix("--resume \(run)/checkpoint-6"), "\(command)")
        #expect(FileManager.default.fileExists(atPath: "\(run)/checkpoint-6/optimizer.safetensors"))

        // The printed command, word for word (its words need no quoting here).
        let words = command.dropFirst("To continue: ".count).split(separator: " ").map(String.init)
        let resumed = try CLI.run(Array(words.dropFirst()))
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming \(run)/checkpoint-6 at step 6 of 36"), "\(resumed.stderr)")
        #expect(try finalWeights(run) == finalWeights(reference))
    }
}
