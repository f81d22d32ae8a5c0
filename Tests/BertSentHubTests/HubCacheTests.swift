import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// The cache layout huggingface_hub writes, built by hand: blobs/<etag>, relative symlinks in
/// snapshots/<commit>/, refs/main.
private func makeCache(repoFolder: String, commit: String = FakeHub.commit, in root: URL) throws {
    let manager = FileManager.default
    let repo = root.appendingPathComponent(repoFolder)
    let blobs = repo.appendingPathComponent("blobs")
    let snapshot = repo.appendingPathComponent("snapshots/\(commit)")
    try manager.createDirectory(at: blobs, withIntermediateDirectories: true)
    try manager.createDirectory(at: snapshot, withIntermediateDirectories: true)
    try manager.createDirectory(at: repo.appendingPathComponent("refs"), withIntermediateDirectories: true)
    for file in ["config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors"] {
        let data = try Data(contentsOf: Fixtures.url("model/tiny-legacy/\(file)"))
        let etag = SHA256Digest.hex(data)
        try data.write(to: blobs.appendingPathComponent(etag))
        try manager.createSymbolicLink(
            atPath: snapshot.appendingPathComponent(file).path, withDestinationPath: "../../blobs/\(etag)")
    }
    try Data(commit.utf8).write(to: repo.appendingPathComponent("refs/main"))
}

@Suite struct HubCacheTests {
    @Test func cacheRootFollowsTheEnvironment() {
        #expect(HubEnvironment(["HF_HUB_CACHE": "/a", "HF_HOME": "/b"]).cacheRoot.path == "/a")
        #expect(HubEnvironment(["HUGGINGFACE_HUB_CACHE": "/c", "HF_HOME": "/b"]).cacheRoot.path == "/c")
        #expect(HubEnvironment(["HF_HOME": "/b"]).cacheRoot.path == "/b/hub")
        let home = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/huggingface/hub")
        #expect(HubEnvironment([:]).cacheRoot.path == home.path)
    }

    @Test func endpointTokenAndOfflineFlags() throws {
        #expect(HubEnvironment([:]).endpoint == "https://huggingface.co")
        #expect(HubEnvironment(["HF_ENDPOINT": "http://x:1/"]).endpoint == "http://x:1")
        for value in ["1", "on", "Yes", "TRUE"] {
            #expect(HubEnvironment(["HF_HUB_OFFLINE": value]).isOffline)
            #expect(HubEnvironment(["TRANSFORMERS_OFFLINE": value]).isOffline)
        }
        for value in ["0", "false", "", "no"] { #expect(!HubEnvironment(["HF_HUB_OFFLINE": value]).isOffline) }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("file-token\n".utf8).write(to: dir.appendingPathComponent("token"))
        #expect(HubEnvironment(["HF_HOME": dir.path]).token == "file-token")
        #expect(HubEnvironment(["HF_HOME": dir.path, "HF_TOKEN": "env-token"]).token == "env-token")
    }

    @Test func referencesAndFolderNames() throws {
        #expect(
            try HubRepoReference(parsing: "google-bert/bert-base-uncased").folderName
                == "models--google-bert--bert-base-uncased")
        #expect(try HubRepoReference(parsing: "bert-base-uncased").folderName == "models--bert-base-uncased")
        #expect(try HubRepoReference(parsing: "org/name@v1.0") == HubRepoReference(repo: "org/name", revision: "v1.0"))
        #expect(try HubRepoReference(parsing: "org/name").revision == "main")
        for bad in ["", "a/b/c", "org/", "@main", "org/name@", "../x"] {
            #expect(throws: HubError.invalidRepoID(bad)) { try HubRepoReference(parsing: bad) }
        }
    }

    @Test func resolvesFromTheCacheByBranchCommitAndLegacyName() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try makeCache(repoFolder: "models--org--name", in: root)
        try makeCache(repoFolder: "models--bert-base-uncased", in: root)
        let environment = HubEnvironment(["HF_HUB_CACHE": root.path, "HF_HUB_OFFLINE": "1"])
        let snapshot = root.appendingPathComponent("models--org--name/snapshots/\(FakeHub.commit)")
        for name in ["org/name", "org/name@main", "org/name@\(FakeHub.commit)"] {
            #expect(try HubModelResolver.resolve(name, environment: environment).path == snapshot.path)
        }
        let legacy = try HubModelResolver.resolve("bert-base-uncased", environment: environment)
        #expect(
            legacy.path == root.appendingPathComponent("models--bert-base-uncased/snapshots/\(FakeHub.commit)").path)
        let model = try BertModel.load(from: legacy)
        #expect(model.config.hiddenSize > 0)
        _ = try BertTokenizer(directory: legacy)
    }

    @Test func offlineMissIsAnErrorNamingWhatWasLookedFor() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try makeCache(repoFolder: "models--org--name", in: root)
        // A snapshot without weights is not usable.
        try FileManager.default.removeItem(
            at: root.appendingPathComponent("models--org--name/snapshots/\(FakeHub.commit)/model.safetensors"))
        for (flag, name) in [("HF_HUB_OFFLINE", "org/name"), ("TRANSFORMERS_OFFLINE", "org/other@v2")] {
            let environment = HubEnvironment([
                "HF_HUB_CACHE": root.path, flag: "yes", "HF_ENDPOINT": "http://127.0.0.1:9",
            ])
            let error = #expect(throws: HubError.self) { try HubModelResolver.resolve(name, environment: environment) }
            let reference = try HubRepoReference(parsing: name)
            #expect(error == .offlineNotCached(reference, repoFolder: HubCache(root: root).repoFolder(reference).path))
            #expect(error?.description.contains("offline") == true)
            #expect(error?.description.contains(name) == true)
        }
    }
}
