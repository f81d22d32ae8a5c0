import Foundation

/// Tests/Fixtures/hub/fake_hub.py running as a subprocess on an ephemeral port.
final class FakeHub {
    static let commit = "0123456789abcdef0123456789abcdef01234567"
    static let token = "secret-token"
    let process = Process()
    private let input = Pipe()
    let port: Int

    var endpoint: String { "http://127.0.0.1:\(port)" }

    init(_ options: [String] = []) throws {
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
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile)
        }
        self.port = port
    }

    func stop() {
        guard process.isRunning else { return }
        // SIGTERM may arrive blocked (the mask is inherited from the test runner); SIGKILL cannot be.
        kill(process.processIdentifier, SIGKILL)
        // waitUntilExit spins a run loop, which a Swift Testing thread does not have; poll instead.
        for _ in 0..<500 where process.isRunning { usleep(10_000) }
    }

    deinit { stop() }
}
