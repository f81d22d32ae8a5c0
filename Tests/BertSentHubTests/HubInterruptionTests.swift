import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Downloads that go wrong half-way: each must end with a clear error and a cache that is never
/// half-written (no blob, no snapshot link, no ref for what did not arrive whole), and the next run
/// resumes.
@Suite struct HubInterruptionTests {

    /// What the cache holds of org/tiny's weights after a failed run.
    struct WeightsState {
        var partialSize: Int?
        var hasBlob: Bool
        var hasLink: Bool
        var hasRef: Bool

        init(cache: URL) {
            let repo = cache.appendingPathComponent("models--org--tiny")
            let manager = FileManager.default
            let partial = repo.appendingPathComponent("blobs/\(FakeHub.weightsSHA).incomplete")
            partialSize = (try? manager.attributesOfItem(atPath: partial.path)[.size] as? NSNumber)?.intValue
            hasBlob = manager.fileExists(
                atPath: repo.appendingPathComponent("blobs/\(FakeHub.weightsSHA)").path)
            let link = repo.appendingPathComponent("snapshots/\(FakeHub.commit)/model.safetensors")
            hasLink = (try? manager.destinationOfSymbolicLink(atPath: link.path)) != nil
            hasRef = manager.fileExists(atPath: repo.appendingPathComponent("refs/main").path)
        }
    }

    @Test func aConnectionCutMidFileIsResumedWithRange() throws {
        let hub = try FakeHub(["--cut-after", "50000"])
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let error = #expect(throws: HubError.self) {
            try HubModelResolver.resolve("org/tiny", environment: hub.environment(cache: cache))
        }
        guard case .downloadInterrupted("model.safetensors", _, .requestFailed("GET", _, _))? = error else {
            Issue.record("expected the GET of model.safetensors to fail, got \(String(describing: error))")
            return
        }
        let state = WeightsState(cache: cache)
        #expect(!state.hasBlob && !state.hasLink && !state.hasRef, "nothing points at the unfinished file")
        let kept = try #require(state.partialSize)
        #expect(kept > 0 && kept <= 50000, "what arrived is kept: \(kept) bytes")

        let snapshot = try HubModelResolver.resolve("org/tiny", environment: hub.environment(cache: cache))
        let weights = try Data(contentsOf: Fixtures.url("model/tiny-legacy/model.safetensors"))
        #expect(try Data(contentsOf: snapshot.appendingPathComponent("model.safetensors")) == weights)
        let gets = try hub.requests().filter { $0.method == "GET" && $0.path.hasPrefix("/cdn/") }
        #expect(gets.map(\.range) == [nil, "bytes=\(kept)-"], "the second run asks only for the rest")
        let absent = try hub.requests().filter { $0.path.hasSuffix("/tokenizer.json") }
        #expect(
            absent.count == 1,
            "the repo has no tokenizer.json; the first run's .no_exist marker spares the second run a HEAD")
        let after = WeightsState(cache: cache)
        #expect(after.partialSize == nil && after.hasBlob && after.hasLink && after.hasRef)
    }

    @Test func aSizeOtherThanTheHubAnnouncedIsAnError() throws {
        let hub = try FakeHub(["--wrong-size"])
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let error = #expect(throws: HubError.self) {
            try HubModelResolver.resolve("org/tiny", environment: hub.environment(cache: cache))
        }
        guard
            case .downloadInterrupted(
                "model.safetensors", _, .sizeMismatch("model.safetensors", _, 200020, 200021, announced: true))? = error
        else {
            Issue.record("expected the announced size of model.safetensors to differ, got \(String(describing: error))")
            return
        }
        let state = WeightsState(cache: cache)
        #expect(!state.hasBlob && !state.hasLink && !state.hasRef)
        #expect((state.partialSize ?? 0) == 0, "nothing was written")
    }

    @Test func aSilentHubTimesOutAfterHF_HUB_ETAG_TIMEOUT() throws {
        let hub = try FakeHub(["--stall", "head"])
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let error = #expect(throws: HubError.self) {
            try HubModelResolver.resolve(
                "org/tiny", environment: hub.environment(cache: cache, ["HF_HUB_ETAG_TIMEOUT": "1"]))
        }
        guard case .timedOut("HEAD", _, HubTimeout(seconds: 1, variable: "HF_HUB_ETAG_TIMEOUT"))? = error else {
            Issue.record("expected the HEAD to time out, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("HF_HUB_ETAG_TIMEOUT sets the limit") == true)
        #expect(!FileManager.default.fileExists(atPath: cache.appendingPathComponent("models--org--tiny/refs").path))
    }

    @Test func aStalledDownloadTimesOutAfterHF_HUB_DOWNLOAD_TIMEOUT() throws {
        let hub = try FakeHub(["--stall", "cdn"])
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        let error = #expect(throws: HubError.self) {
            try HubModelResolver.resolve(
                "org/tiny", environment: hub.environment(cache: cache, ["HF_HUB_DOWNLOAD_TIMEOUT": "1"]))
        }
        guard
            case .downloadInterrupted(
                "model.safetensors", _, .timedOut("GET", _, HubTimeout(seconds: 1, variable: "HF_HUB_DOWNLOAD_TIMEOUT"))
            )? = error
        else {
            Issue.record("expected the GET of model.safetensors to time out, got \(String(describing: error))")
            return
        }
        #expect(error?.category == .network)
        let state = WeightsState(cache: cache)
        #expect(!state.hasBlob && !state.hasLink && !state.hasRef)
        #expect(state.partialSize == 100, "the 100 bytes that came are kept for a resume")
    }

    @Test func aTimeoutThatIsNotANumberIsAnError() throws {
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        for value in ["ten", "0", "-3"] {
            let environment = HubEnvironment([
                "HF_HUB_CACHE": cache.path, "HF_HOME": cache.path, "HF_ENDPOINT": "http://127.0.0.1:9",
                "HF_HUB_ETAG_TIMEOUT": value,
            ])
            #expect(throws: HubError.invalidTimeout(variable: "HF_HUB_ETAG_TIMEOUT", value: value)) {
                try HubModelResolver.resolve("org/tiny", environment: environment)
            }
        }
    }
}
