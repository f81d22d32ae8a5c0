import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// A cached branch is checked against the Hub when online, as huggingface_hub does: a moved branch
/// brings the new commit; a Hub that cannot be asked leaves the cached commit in use, with a warning.
@Suite struct HubRefreshTests {
    static let newCommit = "fedcba9876543210fedcba9876543210fedcba98"

    func warnings(_ events: LockedBox<[String]>) -> HubEventHandler {
        { event in if case .warning(let message) = event { events.value.append(message) } }
    }

    @Test func aMovedBranchIsFollowedAndAnUnreachableHubFallsBackToTheCache() throws {
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let repo = cache.appendingPathComponent("models--org--tiny")
        let first = try FakeHub()
        let old = try HubModelResolver.resolve("org/tiny", environment: first.environment(cache: cache))
        first.stop()

        // main now names another commit with the same files: a new snapshot, refs/main moves, and the
        // blobs, stored by etag, are not downloaded again.
        let moved = try FakeHub(["--commit", Self.newCommit])
        let warned = LockedBox<[String]>([])
        let new = try HubModelResolver.resolve(
            "org/tiny", environment: moved.environment(cache: cache), onEvent: warnings(warned))
        #expect(new.lastPathComponent == Self.newCommit && old.lastPathComponent == FakeHub.commit)
        #expect(try String(contentsOf: repo.appendingPathComponent("refs/main"), encoding: .utf8) == Self.newCommit)
        #expect(try moved.requests().allSatisfy { $0.method == "HEAD" }, "only metadata was fetched")
        #expect(warned.value.isEmpty)
        _ = try BertModel.load(from: new)
        // Unchanged: one HEAD, nothing else.
        let before = try moved.requests().count
        #expect(try HubModelResolver.resolve("org/tiny", environment: moved.environment(cache: cache)).path == new.path)
        #expect(try moved.requests().count == before + 1)
        let endpoint = moved.environment(cache: cache)
        moved.stop()

        // The Hub cannot be reached: the cached commit of main, with a warning naming repo and commit.
        #expect(
            try HubModelResolver.resolve("org/tiny", environment: endpoint, onEvent: warnings(warned)).path == new.path)
        #expect(warned.value.count == 1)
        #expect(
            warned.value.first.map { $0.contains("org/tiny@main") && $0.contains(Self.newCommit) } == true,
            "\(warned.value)")
        // A commit needs no network at all, hence no warning.
        warned.value = []
        #expect(
            try HubModelResolver.resolve("org/tiny@\(FakeHub.commit)", environment: endpoint, onEvent: warnings(warned))
                .path == old.path)
        #expect(warned.value.isEmpty)
    }
}
