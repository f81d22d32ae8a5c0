import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// bertsent under `mpirun`: ranks that share the work (scoring, training) and give what one process gives,
/// and the refusals that keep N copies from writing the same files or drifting apart.
@Suite(.serialized) struct MPICLITests {
    let tiny = Fixtures.url("model/tiny-legacy").path

    /// Open MPI's launcher (scripts/setup.sh installs it on Linux), found on PATH.
    static let mpirun: String? = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
        .map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    func reviews(_ count: Int, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent("reviews.csv")
        let rows = (0..<count).map { "\($0),\"review \($0): " + ($0 % 3 == 0 ? "a fine, moving film\"" : "dull\"") }
        try Data((["id,review"] + rows).joined(separator: "\n").utf8).write(to: url)
        return url.path
    }

    /// 2,000 reviews scored by 2 ranks (each scoring every other piece of 1,024, rank 0 writing) give the
    /// file one process writes, byte for byte.
    @Test(.enabled(if: mpirun != nil || isLinux, "Open MPI's mpirun (scripts/setup.sh installs it on Linux)"))
    func twoRanksWriteWhatOneProcessWrites() throws {
        let mpirun = try #require(Self.mpirun, "no mpirun on PATH: run scripts/setup.sh")
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try reviews(2000, in: dir)
        let one = dir.appendingPathComponent("one.csv").path, two = dir.appendingPathComponent("two.csv").path
        let single = try CLI.run(["predict", "--model", tiny, "--input", input, "--output", one])
        #expect(single.status == 0, "\(single.stderr)")
        let ranks = try CLI.run(
            ["predict", "--model", tiny, "--input", input, "--output", two],
            launcher: [mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "2"])
        #expect(ranks.status == 0, "\(ranks.stderr)")
        #expect(
            ranks.stderr.components(separatedBy: "2,000 rows in").count == 2, "rank 0 alone reports: \(ranks.stderr)")
        let written = try Data(contentsOf: URL(fileURLWithPath: two))
        #expect(written == (try Data(contentsOf: URL(fileURLWithPath: one))))
        #expect(String(decoding: written, as: UTF8.self).split(separator: "\n").count == 2001)
    }

    /// Train losses of a JSON-lines training log.
    static func losses(_ output: String) -> [Double] {
        output.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }.filter { $0["type"] as? String == "train" }.compactMap { $0["loss"] as? Double }
    }

    /// 2 ranks × batch 4 with accumulation 2 take the steps one process takes with batch 8: the same 20
    /// losses, dropout on (the tiny model's 0.1), within 1e-6 — the ranks sum their gradients in another
    /// order than one process accumulates them, so not to the bit. Rank 0 alone logs; a resume with 2
    /// ranks continues exactly, one with 1 rank is refused.
    @Test(.enabled(if: mpirun != nil || isLinux, "Open MPI's mpirun (scripts/setup.sh installs it on Linux)"))
    func twoRanksTrainAsOneProcessWithTheirGlobalBatch() throws {
        let mpirun = try #require(Self.mpirun, "no mpirun on PATH: run scripts/setup.sh")
        let launcher = [mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "2"]
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data.csv").path
        #expect(try CLI.run(["generate", "--count", "200", "--seed", "3", "--output", data]).status == 0)
        let common = [
            "train", data, "--model", tiny, "--max-length", "64", "--learning-rate", "1e-3", "--log-format", "jsonl",
            "--max-steps", "20", "--gradient-accumulation-steps", "2", "--eval-strategy", "no", "--seed", "7",
        ]
        func folder(_ name: String) -> [String] { ["--output-dir", dir.appendingPathComponent(name).path] }
        let one = try CLI.run(common + ["--batch-size", "8"] + folder("one"))
        let two = try CLI.run(common + ["--batch-size", "4"] + folder("two"), launcher: launcher)
        #expect(one.status == 0 && two.status == 0, "\(one.stderr)\n\(two.stderr)")
        let (single, ranks) = (Self.losses(one.stdout), Self.losses(two.stdout))
        #expect(single.count == 20 && ranks.count == 20, "rank 0 alone prints: \(ranks.count) lines")
        for (step, (a, b)) in zip(single, ranks).enumerated() { #expect(abs(a - b) <= 1e-6, "step \(step + 1)") }
        let logged = try String(contentsOfFile: dir.appendingPathComponent("two/log.jsonl").path, encoding: .utf8)
        #expect(Self.losses(logged) == ranks)
        // Dropout is on: without it the losses differ.
        let noDropout = try CLI.run(common + ["--batch-size", "8", "--dropout", "0"] + folder("plain"))
        #expect(zip(Self.losses(noDropout.stdout), single).contains { abs($0 - $1) > 1e-4 })

        let checkpoint = dir.appendingPathComponent("two/checkpoint-10").path
        let resumed = try CLI.run(
            common + ["--batch-size", "4", "--resume", checkpoint] + folder("resumed"), launcher: launcher)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(Self.losses(resumed.stdout) == Array(ranks.suffix(10)))
        let alone = try CLI.run(common + ["--batch-size", "4", "--resume", checkpoint] + folder("alone"))
        #expect(alone.status == 65 && alone.stderr.contains("mpirun -np 2"), "\(alone.stderr)")
    }

    /// Ranks started with different settings (mpirun's colon syntax gives each its own command line): every
    /// rank exits non-zero with rank 0's account of what differs, before a checkpoint is written.
    @Test(.enabled(if: mpirun != nil || isLinux, "Open MPI's mpirun (scripts/setup.sh installs it on Linux)"))
    func ranksStartedWithOtherSettingsAreRefused() throws {
        let mpirun = try #require(Self.mpirun, "no mpirun on PATH: run scripts/setup.sh")
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data.csv").path
        #expect(try CLI.run(["generate", "--count", "60", "--seed", "3", "--output", data]).status == 0)
        let bertsent = try #require(CLI.executable).path
        let run = dir.appendingPathComponent("run").path
        let common = ["train", data, "--model", tiny, "--max-length", "64", "--max-steps", "4", "--output-dir", run]
        // The first rank's command in the launcher; the second's is what CLI.run appends.
        let refused = try CLI.run(
            common + ["--warmup-steps", "3"],
            launcher: [mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "1", bertsent] + common + [
                ":", "-np", "1",
            ])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("warmup_steps is 0 on rank 0, 3 on rank 1"), "\(refused.stderr)")
        let written = (try? FileManager.default.contentsOfDirectory(atPath: run)) ?? []
        #expect(!written.contains { $0.hasPrefix("checkpoint-") || $0 == "best" }, "\(written)")
    }

    /// Started by a launcher (its variable set) where Open MPI's library cannot be loaded: a message naming
    /// both, exit 65, and nothing written — not two independent runs.
    @Test func aLauncherWithoutTheLibraryStopsBeforeAnyWork() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("scores.csv").path
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_COMM_WORLD_SIZE"] = "2"
        environment["BERTSENT_MPI_LIBRARY"] = "/nonexistent/libmpi.so"
        let run = try CLI.run(
            ["predict", "--model", tiny, "--input", try reviews(10, in: dir), "--output", output],
            environment: environment)
        #expect(run.status == 65, "\(run.stderr)")
        #expect(
            run.stderr.contains("OMPI_COMM_WORLD_SIZE") && run.stderr.contains("/nonexistent/libmpi.so")
                && run.stderr.contains("2 ranks"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))

        // A command that runs as one process refuses the launcher.
        environment["BERTSENT_MPI_LIBRARY"] = nil
        let tokenize = try CLI.run(["tokenize", "--model", tiny, "a film"], environment: environment)
        #expect(tokenize.status == 64 && tokenize.stderr.contains("runs as one process"), "\(tokenize.stderr)")
    }

    @Test func aThreadCountThatIsNotPositiveIsRefused() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["BERTSENT_THREADS"] = "0"
        let run = try CLI.run(["predict", "--model", tiny, "a film"], environment: environment)
        #expect(run.status == 65 && run.stderr.contains("BERTSENT_THREADS=0"), "\(run.stderr)")
    }
}

#if os(Linux)
    private let isLinux = true
#else
    private let isLinux = false
#endif
