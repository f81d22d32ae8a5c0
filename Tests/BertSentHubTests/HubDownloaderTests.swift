import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Downloads against Tests/Fixtures/hub/fake_hub.py, each test with its own server and temp cache.
@Suite struct HubDownloaderTests {

    @Test func downloadsIntoTheSharedLayoutAndLoads() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let snapshot = try HubModelResolver.resolve("org/tiny", environment: hub.environment(cache: cache))
        let repo = cache.appendingPathComponent("models--org--tiny")
        #expect(snapshot.path == repo.appendingPathComponent("snapshots/\(FakeHub.commit)").path)
        #expect(try String(contentsOf: repo.appendingPathComponent("refs/main"), encoding: .utf8) == FakeHub.commit)
        let manager = FileManager.default
        #expect(
            try manager.destinationOfSymbolicLink(atPath: snapshot.appendingPathComponent("model.safetensors").path)
                == "../../blobs/\(FakeHub.weightsSHA)")
        // Non-LFS files are stored under their git sha1 ETag, weak-prefix and quotes stripped.
        let configTarget = try manager.destinationOfSymbolicLink(
            atPath: snapshot.appendingPathComponent("config.json").path)
        #expect(configTarget.hasPrefix("../../blobs/") && configTarget.count == "../../blobs/".count + 40)
        for file in ["config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors"] {
            #expect(
                try Data(contentsOf: snapshot.appendingPathComponent(file))
                    == Data(contentsOf: Fixtures.url("model/tiny-legacy/\(file)")))
        }
        // Optional files the repo lacks are recorded as huggingface_hub does, not fetched again.
        #expect(
            manager.fileExists(atPath: repo.appendingPathComponent(".no_exist/\(FakeHub.commit)/tokenizer.json").path))
        #expect(!manager.fileExists(atPath: snapshot.appendingPathComponent("tokenizer.json").path))
        #expect(
            try manager.contentsOfDirectory(atPath: repo.appendingPathComponent("blobs").path).allSatisfy {
                !$0.hasSuffix(".incomplete")
            })
        let model = try BertModel.load(from: snapshot)
        #expect(model.config.hiddenSize > 0)
        _ = try BertTokenizer(directory: snapshot)

        hub.stop()
        for name in ["org/tiny", "org/tiny@\(FakeHub.commit)"] {
            #expect(
                try HubModelResolver.resolve(name, environment: hub.environment(cache: cache)).path == snapshot.path)
        }
    }

    @Test func followsARelativeRedirectForARenamedRepo() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let snapshot = try HubDownloader(environment: hub.environment(cache: cache)).download(
            HubRepoReference(repo: "org/old-tiny"))
        #expect(snapshot.path.contains("models--org--old-tiny/snapshots/\(FakeHub.commit)"))
        _ = try BertModel.load(from: snapshot)
    }

    @Test func unknownRepoAndMissingFileNameRepoAndFile() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        // 404 without X-Repo-Commit: the repo itself is unknown.
        let unknown = #expect(throws: HubError.self) {
            try HubModelResolver.resolve("org/nope", environment: hub.environment(cache: cache))
        }
        #expect(
            unknown
                == .notFound(
                    repo: "org/nope", revision: "main", endpoint: hub.endpoint, file: "config.json",
                    url: "\(hub.endpoint)/org/nope/resolve/main/config.json"))
        #expect(unknown?.description.contains("org/nope") == true && unknown?.description.contains("not found") == true)
        // An unknown revision of a known repo: 404 without X-Repo-Commit too.
        let revision = #expect(throws: HubError.self) {
            try HubModelResolver.resolve("org/tiny@v9", environment: hub.environment(cache: cache))
        }
        guard case .notFound("org/tiny", "v9", _, "config.json", _)? = revision else {
            Issue.record("expected org/tiny@v9 not found, got \(String(describing: revision))")
            return
        }
    }

    @Test func gatedRepoNeedsAToken() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let denied = #expect(throws: HubError.self) {
            try HubModelResolver.resolve("org/gated", environment: hub.environment(cache: cache))
        }
        guard case .unauthorized("org/gated", _, tokenSent: false)? = denied else {
            Issue.record("expected org/gated to need a token, got \(String(describing: denied))")
            return
        }
        #expect(denied?.description.contains("HF_TOKEN") == true)
        // With the token the Hub answers, and the CDN (another host, which rejects Authorization) too.
        let snapshot = try HubModelResolver.resolve(
            "org/gated", environment: hub.environment(cache: cache, ["HF_TOKEN": FakeHub.token]))
        _ = try BertModel.load(from: snapshot)
        #expect(!String(describing: denied).contains(FakeHub.token))
    }

    @Test func shaMismatchIsAnErrorAndLeavesNoBlob() throws {
        let hub = try FakeHub(["--corrupt"])
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let error = #expect(throws: HubError.self) {
            try HubModelResolver.resolve("org/tiny", environment: hub.environment(cache: cache))
        }
        guard case .checksumMismatch("model.safetensors", _, _, FakeHub.weightsSHA)? = error else {
            Issue.record("expected model.safetensors's sha256 to differ, got \(String(describing: error))")
            return
        }
        let blobs = try FileManager.default.contentsOfDirectory(
            atPath: cache.appendingPathComponent("models--org--tiny/blobs").path)
        #expect(!blobs.contains { $0.hasPrefix(FakeHub.weightsSHA) })
        let offline = #expect(throws: HubError.self) {
            try HubModelResolver.resolve(
                "org/tiny", environment: hub.environment(cache: cache, ["HF_HUB_OFFLINE": "1"]))
        }
        guard case .offlineNotCached(HubRepoReference(repo: "org/tiny"), _)? = offline else {
            Issue.record("expected org/tiny not to be cached, got \(String(describing: offline))")
            return
        }
    }

    @Test func resumesAPartialDownloadWithRange() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let blobs = cache.appendingPathComponent("models--org--tiny/blobs")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        let partial = blobs.appendingPathComponent("\(FakeHub.weightsSHA).incomplete")
        let weights = try Data(contentsOf: Fixtures.url("model/tiny-legacy/model.safetensors"))
        // Wrong leading bytes prove the server was asked only for the rest: the result fails its sha256.
        try Data(repeating: 0xAB, count: 1000).write(to: partial)
        let corrupt = #expect(throws: HubError.self) {
            try HubModelResolver.resolve("org/tiny", environment: hub.environment(cache: cache))
        }
        guard case .checksumMismatch("model.safetensors", _, _, FakeHub.weightsSHA)? = corrupt else {
            Issue.record("expected model.safetensors's sha256 to differ, got \(String(describing: corrupt))")
            return
        }
        // The right leading bytes resume into the right file.
        try weights.prefix(1000).write(to: partial)
        let snapshot = try HubModelResolver.resolve("org/tiny", environment: hub.environment(cache: cache))
        #expect(try Data(contentsOf: snapshot.appendingPathComponent("model.safetensors")) == weights)
        #expect(!FileManager.default.fileExists(atPath: partial.path))
    }

    @Test func downloadsAndLoadsAShardedCheckpoint() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let snapshot = try HubModelResolver.resolve("org/tiny-sharded", environment: hub.environment(cache: cache))
        let manager = FileManager.default
        let files = try manager.contentsOfDirectory(atPath: snapshot.path).sorted()
        #expect(
            files == [
                "config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                "model.safetensors.index.json", "tokenizer_config.json", "vocab.txt",
            ])
        for shard in files where shard.hasPrefix("model-") {
            let target = try manager.destinationOfSymbolicLink(atPath: snapshot.appendingPathComponent(shard).path)
            #expect(
                target
                    == "../../blobs/\(try SHA256Digest.hex(fileAt: snapshot.appendingPathComponent(shard), what: "the file"))",
                "LFS shards are stored by sha256")
        }
        let sharded = try BertModel.load(from: snapshot)
        let single = try BertModel.load(from: Fixtures.url("model/tiny-legacy"))
        #expect(Array(sharded.parameters.buffer) == Array(single.parameters.buffer))
        hub.stop()
        let offline = hub.environment(cache: cache, ["HF_HUB_OFFLINE": "1"])
        #expect(try HubModelResolver.resolve("org/tiny-sharded", environment: offline).path == snapshot.path)
        // A missing shard makes the cached snapshot unusable rather than half-loaded.
        try manager.removeItem(at: snapshot.appendingPathComponent("model-00002-of-00002.safetensors"))
        #expect(
            throws: HubError.offlineNotCached(
                HubRepoReference(repo: "org/tiny-sharded"),
                repoFolder: HubCache(root: cache).repoFolder(HubRepoReference(repo: "org/tiny-sharded")).path)
        ) {
            try HubModelResolver.resolve("org/tiny-sharded", environment: offline)
        }
    }

    @Test func progressIsReportedPerDownloadedFile() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let events = LockedBox<[HubFileProgress]>([])
        let snapshot = try HubModelResolver.resolve("org/tiny", environment: hub.environment(cache: cache)) { event in
            if case .progress(let progress) = event { events.value.append(progress) }
        }
        let byFile = Dictionary(grouping: events.value, by: \.file)
        #expect(Set(byFile.keys) == ["config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors"])
        for (file, reports) in byFile {
            let size = Int64(try Data(contentsOf: snapshot.appendingPathComponent(file)).count)
            #expect(reports.first?.bytes == 0 && reports.first?.isComplete == false, "\(file) starts at 0")
            #expect(reports.last == HubFileProgress(file: file, bytes: size, total: size, isComplete: true), "\(file)")
            #expect(reports.filter(\.isComplete).count == 1)
            #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.bytes <= $1.bytes }, "\(file) never goes back")
        }
        // A second resolve finds everything cached and downloads nothing.
        events.value = []
        _ = try HubModelResolver.resolve("org/tiny", environment: hub.environment(cache: cache)) { event in
            if case .progress(let progress) = event { events.value.append(progress) }
        }
        #expect(events.value.isEmpty)
    }

    @Test func tokenComesFromHF_TOKEN_PATH() throws {
        let hub = try FakeHub()
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let tokenFile = cache.appendingPathComponent("elsewhere/my-token")
        try FileManager.default.createDirectory(
            at: tokenFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("\(FakeHub.token)\n".utf8).write(to: tokenFile)
        #expect(HubEnvironment(["HF_TOKEN_PATH": tokenFile.path]).token == FakeHub.token)
        let snapshot = try HubModelResolver.resolve(
            "org/gated", environment: hub.environment(cache: cache, ["HF_TOKEN_PATH": tokenFile.path]))
        _ = try BertModel.load(from: snapshot)
        let requests = try hub.requests()
        #expect(
            requests.filter { $0.path.hasPrefix("/org/gated/") }.allSatisfy { $0.authorization },
            "the Hub gets the token")
        #expect(requests.filter { $0.path.hasPrefix("/cdn/") }.allSatisfy { !$0.authorization }, "the CDN never does")
        #expect(requests.contains { $0.path.hasPrefix("/cdn/") })
    }
}
