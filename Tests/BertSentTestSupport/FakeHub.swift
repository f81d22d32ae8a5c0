import BertSent
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Tests/Fixtures/hub/fake_hub.py running as a subprocess on an ephemeral port.
package final class FakeHub {
    package static let commit = "0123456789abcdef0123456789abcdef01234567"
    package static let token = "secret-token"
    /// The SHA-256 of org/tiny's model.safetensors (the tiny-legacy fixture's weights).
    package static let weightsSHA = "9728b7ba6429a8b490bb93b817819c23c598d9000b032251b7dc31824676b0de"
    package let process = Process()
    private let input = Pipe()
    package let port: Int

    package var endpoint: String { "http://127.0.0.1:\(port)" }

    package init(_ options: [String] = []) throws {
        let script = Fixtures.url("hub/fake_hub.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--token", FakeHub.token] + options
        let output = Pipe()
        process.standardOutput = output
        // The server exits when this pipe closes, so a crashed test run leaves no server behind.
        process.standardInput = input
        try process.run()
        // The server prints its port as its first line once it is listening.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw TestFailure("fake_hub.py printed no port: '\(String(decoding: line, as: UTF8.self))'")
        }
        self.port = port
    }

    /// The environment of a client of this server with its own cache; HF_HOME points into the cache
    /// folder too, so a real token file of the machine is never read.
    package func environment(cache: URL, _ extra: [String: String] = [:]) -> HubEnvironment {
        HubEnvironment(
            ["HF_ENDPOINT": endpoint, "HF_HUB_CACHE": cache.path, "HF_HOME": cache.path].merging(extra) { $1 })
    }

    /// One request the server received, from its `/_log`.
    package struct Request: Decodable {
        package var method: String
        package var path: String
        package var range: String?
        package var authorization: Bool
    }

    /// The requests the server has received so far, in order.
    package func requests() throws -> [Request] {
        let result = LockedBox<Result<Data, Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let log = endpoint + "/_log"
        URLSession.shared.dataTask(with: URL(string: log)!) { data, _, error in
            result.value = data.map { .success($0) } ?? .failure(error ?? TestFailure("no answer from \(log)"))
            done.signal()
        }.resume()
        done.wait()
        let data = try result.value!.get()
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try JSONDecoder().decode(Request.self, from: Data($0))
        }
    }

    package func stop() {
        guard process.isRunning else { return }
        // SIGTERM may arrive blocked (the mask is inherited from the test runner); SIGKILL cannot be.
        kill(process.processIdentifier, SIGKILL)
        // waitUntilExit spins a run loop, which a Swift Testing thread does not have; poll instead.
        for _ in 0..<500 where process.isRunning { usleep(10_000) }
    }

    deinit { stop() }
}

/// A value shared with callbacks on other threads (URLSession's, the Hub's event handler).
package final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    package init(_ value: Value) { stored = value }

    package var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
