import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// bertsent under `mpirun`: ranks that share the work and give what one process gives, and the refusals
/// that keep N copies from writing the same files.
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

        // A command that runs as one process refuses the launcher; so does predict printing to the terminal.
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
