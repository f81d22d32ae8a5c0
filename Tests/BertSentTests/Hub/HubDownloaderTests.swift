import BertSent
import Foundation
import Testing

/// Downloads against Tests/Fixtures/hub/fake_hub.py, each test with its own server and temp cache.
@Suite struct HubDownloaderTests {
    static let weightsSHA = "9728b7ba6429a8b490bb93b817819c23c598d9000b032251b7dc31824676b0de"

    private func environment(_ hub: FakeHub, cache: URL, _ extra: [String: String] = [:]) -> HubEnvironment {
        // HF_HOME points into the temp dir so a real token file of the machine is never read.
        HubEnvironment(["HF_ENDPOINT": hub.endpoint, "HF_HUB_CACHE": cache.path, "HF_HOME": cache.path].merging(extra) { $1 })
    }

    @Test func downloadsIntoTheSharedLayoutAndLoads() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let snapshot = try HubModelResolver.resolve("org/tiny", environment: environment(hub, cache: cache))
        let repo = cache.appendingPathComponent("models--org--tiny")
        #expect(snapshot.path == repo.appendingPathComponent("snapshots/\(FakeHub.commit)").path)
        #expect(try String(contentsOf: repo.appendingPathComponent("refs/main"), encoding: .utf8) == FakeHub.commit)
        let manager = FileManager.default
        #expect(try manager.destinationOfSymbolicLink(atPath: snapshot.appendingPathComponent("model.safetensors").path)
            == "../../blobs/\(Self.weightsSHA)")
        // Non-LFS files are stored under their git sha1 ETag, weak-prefix and quotes stripped.
        let configTarget = try manager.destinationOfSymbolicLink(atPath: snapshot.appendingPathComponent("config.json").path)
        #expect(configTarget.hasPrefix("../../blobs/") && configTarget.count == "../../blobs/".count + 40)
        for file in ["config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors"] {
            #expect(try Data(contentsOf: snapshot.appendingPathComponent(file)) == Data(contentsOf: Fixtures.url("model/tiny-legacy/\(file)")))
        }
        // Optional files the repo lacks are recorded as huggingface_hub does, not fetched again.
        #expect(manager.fileExists(atPath: repo.appendingPathComponent(".no_exist/\(FakeHub.commit)/tokenizer.json").path))
        #expect(!manager.fileExists(atPath: snapshot.appendingPathComponent("tokenizer.json").path))
        #expect(try manager.contentsOfDirectory(atPath: repo.appendingPathComponent("blobs").path).allSatisfy { !$0.hasSuffix(".incomplete") })
        let model = try BertModel.load(from: snapshot)
        #expect(model.config.hiddenSize > 0)
        _ = try BertTokenizer(directory: snapshot)

        hub.stop()
        for name in ["org/tiny", "org/tiny@\(FakeHub.commit)"] {
            #expect(try HubModelResolver.resolve(name, environment: environment(hub, cache: cache)).path == snapshot.path)
        }
    }

    @Test func followsARelativeRedirectForARenamedRepo() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let snapshot = try HubDownloader(environment: environment(hub, cache: cache)).download(HubRepoReference(repo: "org/old-tiny"))
        #expect(snapshot.path.contains("models--org--old-tiny/snapshots/\(FakeHub.commit)"))
        _ = try BertModel.load(from: snapshot)
    }

    @Test func unknownRepoAndMissingFileNameRepoAndFile() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        // 404 without X-Repo-Commit: the repo itself is unknown.
        let unknown = #expect(throws: BertSentError.self) {
            try HubModelResolver.resolve("org/nope", environment: environment(hub, cache: cache))
        }
        #expect(unknown?.description.contains("org/nope") == true)
        #expect(unknown?.description.contains("config.json") == true)
        #expect(unknown?.message.contains("not found") == true)
        // 404 with X-Repo-Commit on an unknown revision.
        let revision = #expect(throws: BertSentError.self) {
            try HubModelResolver.resolve("org/tiny@v9", environment: environment(hub, cache: cache))
        }
        #expect(revision?.message.contains("v9") == true)
    }

    @Test func gatedRepoNeedsAToken() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let denied = #expect(throws: BertSentError.self) {
            try HubModelResolver.resolve("org/gated", environment: environment(hub, cache: cache))
        }
        #expect(denied?.message.contains("HF_TOKEN") == true)
        #expect(denied?.message.contains("401") == true)
        // With the token the Hub answers, and the CDN (another host, which rejects Authorization) too.
        let snapshot = try HubModelResolver.resolve("org/gated", environment: environment(hub, cache: cache, ["HF_TOKEN": FakeHub.token]))
        _ = try BertModel.load(from: snapshot)
        #expect(!String(describing: denied).contains(FakeHub.token))
    }

    @Test func shaMismatchIsAnErrorAndLeavesNoBlob() throws {
        let hub = try FakeHub(["--corrupt"])
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let error = #expect(throws: BertSentError.self) {
            try HubModelResolver.resolve("org/tiny", environment: environment(hub, cache: cache))
        }
        #expect(error?.message.contains("sha256") == true)
        #expect(error?.message.contains("model.safetensors") == true)
        let blobs = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("models--org--tiny/blobs").path)
        #expect(!blobs.contains { $0.hasPrefix(Self.weightsSHA) })
        #expect(throws: BertSentError.self) {
            try HubModelResolver.resolve("org/tiny", environment: environment(hub, cache: cache, ["HF_HUB_OFFLINE": "1"]))
        }
    }

    @Test func resumesAPartialDownloadWithRange() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let blobs = cache.appendingPathComponent("models--org--tiny/blobs")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        let partial = blobs.appendingPathComponent("\(Self.weightsSHA).incomplete")
        let weights = try Data(contentsOf: Fixtures.url("model/tiny-legacy/model.safetensors"))
        // Wrong leading bytes prove the server was asked only for the rest: the result fails its sha256.
        try Data(repeating: 0xAB, count: 1000).write(to: partial)
        #expect(throws: BertSentError.self) {
            try HubModelResolver.resolve("org/tiny", environment: environment(hub, cache: cache))
        }
        // The right leading bytes resume into the right file.
        try weights.prefix(1000).write(to: partial)
        let snapshot = try HubModelResolver.resolve("org/tiny", environment: environment(hub, cache: cache))
        #expect(try Data(contentsOf: snapshot.appendingPathComponent("model.safetensors")) == weights)
        #expect(!FileManager.default.fileExists(atPath: partial.path))
    }
}
