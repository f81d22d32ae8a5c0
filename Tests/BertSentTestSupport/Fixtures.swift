import Foundation

/// Paths of the committed golden fixtures (Tests/Fixtures, made by tools/fixtures/) and of the default model.
package enum Fixtures {
    package static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    package static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The default model fetched by scripts/setup.sh (overridable with BERTSENT_MODEL).
    package static let defaultModel: URL = {
        if let path = ProcessInfo.processInfo.environment["BERTSENT_MODEL"] { return URL(fileURLWithPath: path) }
        let home =
            ProcessInfo.processInfo.environment["BERTSENT_HOME"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/bertsent").path
        return URL(fileURLWithPath: home).appendingPathComponent("models/all-MiniLM-L6-v2")
    }()
}
