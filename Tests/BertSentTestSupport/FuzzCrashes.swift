import Foundation

/// The inputs that crashed a fuzz target (scripts/fuzz.sh), committed under Tests/Fixtures/fuzz-crashes/TARGET
/// after the bug was fixed, so that a regular test runs each through the same code again.
package enum FuzzCrashes {
    /// The committed inputs of fuzz target `target` (`safetensors`, `hub-headers`, …), by name.
    package static func inputs(_ target: String) -> [URL] {
        let folder = Fixtures.url("fuzz-crashes").appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }
}
