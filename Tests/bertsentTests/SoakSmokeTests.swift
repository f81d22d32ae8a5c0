import BertSentTestSupport
import Foundation
import Testing

/// The server soak's one-minute version (`bench/soak.sh --short`, docs/RELIABILITY.md): `bertsent serve`
/// under valid, invalid, oversized, slow-loris, disconnecting and bursting clients at once. Counts only —
/// no 5xx for an admitted valid request, descriptors back to their resting number — never timings.
@Suite struct SoakSmokeTests {
    @Test func theServerHoldsAMinuteOfMixedLoad() throws {
        let executable = try #require(CLI.executable)
        let script = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("bench/soak.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--bin", executable.path, "--short"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("soak: ok:") && !text.contains("soak: FAILED"), "\(text)")
    }
}
