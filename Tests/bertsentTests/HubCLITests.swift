import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Models by name from the command line, against Tests/Fixtures/hub/fake_hub.py in a fresh HF_HOME:
/// the issue's "works from a fresh clone, and a second run needs no network".
@Suite(.serialized) struct HubCLITests {
    /// The test's environment without any Hugging Face setting of the machine, pointed at `hub` and `home`.
    func environment(_ hub: FakeHub, home: URL, _ extra: [String: String] = [:]) -> [String: String] {
        let own = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("HF_") && !$0.key.hasPrefix("HUGGINGFACE_") && $0.key != "TRANSFORMERS_OFFLINE"
        }
        return own.merging(["HF_HOME": home.path, "HF_ENDPOINT": hub.endpoint].merging(extra) { $1 }) { $1 }
    }

    func snapshot(_ repo: String, in cache: URL) -> String {
        cache.appendingPathComponent(
            "models--\(repo.replacingOccurrences(of: "/", with: "--"))/snapshots/\(FakeHub.commit)"
        ).path
    }

    @Test func trainsAModelNamedOnTheHubThenAgainWithoutNetwork() throws {
        let hub = try FakeHub()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let home = dir.appendingPathComponent("hf-home")
        let rows = (0..<16).map {
            $0 % 2 == 0 ? "a fine and lovely film \($0),positive" : "a dull and boring film \($0),negative"
        }
        let data = dir.appendingPathComponent("data.csv")
        try Data((["review,sentiment"] + rows).joined(separator: "\n").utf8).write(to: data)
        func train(_ run: String, _ extra: [String: String] = [:]) throws -> CLI.Output {
            try CLI.run(
                [
                    "train", data.path, "--model", "org/tiny", "--max-steps", "2", "--batch-size", "4", "--max-length",
                    "32",
                    "--output-dir", dir.appendingPathComponent(run).path,
                ], environment: environment(hub, home: home, extra))
        }

        let first = try train("first")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(
            first.stderr.contains("downloading model.safetensors") && first.stderr.contains("model.safetensors: done"),
            "progress on stderr: \(first.stderr)")
        #expect(
            FileManager.default.fileExists(
                atPath: snapshot("org/tiny", in: home.appendingPathComponent("hub")) + "/model.safetensors"))

        hub.stop()
        let second = try train("second")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!second.stderr.contains("downloading"))
        #expect(
            second.stderr.contains("warning: cannot check org/tiny@main"),
            "the cached commit is used, with a warning: \(second.stderr)")
        let offline = try train("offline", ["HF_HUB_OFFLINE": "1"])
        #expect(offline.status == 0 && !offline.stderr.contains("warning: cannot check"), "\(offline.stderr)")
        // The same model, data and seed: the same fine-tuned weights, whichever way the model was found.
        let weights = { (run: String) in
            try Data(contentsOf: dir.appendingPathComponent("\(run)/best/model.safetensors"))
        }
        #expect(try weights("first") == weights("second") && weights("second") == weights("offline"))
    }

    @Test func downloadPrintsTheSnapshotFolderAndNeverTheToken() throws {
        let hub = try FakeHub()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        let env = environment(hub, home: dir.appendingPathComponent("home"))
        let fetched = try CLI.run(["download", "org/tiny-sharded", "--cache-dir", cache.path], environment: env)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.stdout == snapshot("org/tiny-sharded", in: cache) + "\n")
        #expect(fetched.stderr.contains("model-00002-of-00002.safetensors: done"))
        let again = try CLI.run(
            ["download", "org/tiny-sharded", "--revision", FakeHub.commit, "--cache-dir", cache.path, "--quiet"],
            environment: env)
        #expect(again.status == 0 && again.stdout == fetched.stdout && again.stderr.isEmpty, "\(again.stderr)")

        let wrong = "wrong-token-1234"
        let refused = try CLI.run(
            ["download", "org/gated", "--token", wrong, "--cache-dir", cache.path], environment: env)
        #expect(
            refused.status != 0 && refused.stderr.contains("401") && refused.stderr.contains("refused"),
            "\(refused.stderr)")
        #expect(!(refused.stdout + refused.stderr).contains(wrong))
        let allowed = try CLI.run(
            ["download", "org/gated", "--token", FakeHub.token, "--cache-dir", cache.path], environment: env)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(!(allowed.stdout + allowed.stderr).contains(FakeHub.token))

        let unknown = try CLI.run(["download", "org/nope", "--cache-dir", cache.path], environment: env)
        #expect(
            unknown.status != 0 && unknown.stderr.contains("org/nope") && unknown.stderr.contains("not found"),
            "\(unknown.stderr)")
        let twice = try CLI.run(["download", "org/tiny@main", "--revision", "v1"], environment: env)
        #expect(twice.status != 0 && twice.stderr.contains("revision once"), "\(twice.stderr)")
    }

    @Test func aWriteErrorIsClearAndTheNextRunResumes() throws {
        let hub = try FakeHub()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        let env = environment(hub, home: dir.appendingPathComponent("home"))
        // A file-size limit of 25,600 bytes makes the write that crosses it fail (EFBIG) as a full disk
        // does (ENOSPC); SIGXFSZ is ignored so the process gets the error rather than being killed.
        let limited = ["/bin/sh", "-c", "trap '' XFSZ; ulimit -f 50; exec \"$@\"", "sh"]
        let failed = try CLI.run(
            ["download", "org/tiny", "--cache-dir", cache.path], environment: env, launcher: limited)
        #expect(failed.status != 0)
        #expect(
            failed.stderr.contains("model.safetensors") && failed.stderr.contains(".incomplete")
                && failed.stderr.contains("cannot write") && failed.stderr.contains("File too large"),
            "\(failed.stderr)")
        let repo = cache.appendingPathComponent("models--org--tiny")
        let blobs = try FileManager.default.contentsOfDirectory(atPath: repo.appendingPathComponent("blobs").path)
        let weights = FakeHub.weightsSHA
        #expect(blobs.contains("\(weights).incomplete") && !blobs.contains(weights), "\(blobs)")
        #expect(
            !FileManager.default.fileExists(atPath: repo.appendingPathComponent("refs/main").path),
            "no ref to a half-written snapshot")
        #expect(!FileManager.default.fileExists(atPath: snapshot("org/tiny", in: cache) + "/model.safetensors"))

        let resumed = try CLI.run(["download", "org/tiny", "--cache-dir", cache.path], environment: env)
        #expect(resumed.status == 0 && resumed.stdout == snapshot("org/tiny", in: cache) + "\n", "\(resumed.stderr)")
        #expect(try hub.requests().contains { $0.path.hasPrefix("/cdn/") && $0.range != nil }, "resumed with Range")
        #expect(
            try SHA256Digest.hex(
                fileAt: URL(fileURLWithPath: snapshot("org/tiny", in: cache) + "/model.safetensors"), what: "the file")
                == weights)
    }
}
