import Foundation

/// The default model's folder, as scripts/setup.sh installs it (BERTSENT_MODEL or BERTSENT_HOME override it,
/// as they do for the tests): its tokenizer is the real vocabulary.
public let defaultModelDirectory: URL = {
    let environment = ProcessInfo.processInfo.environment
    if let path = environment["BERTSENT_MODEL"] { return URL(fileURLWithPath: path) }
    let home =
        environment["BERTSENT_HOME"]
        ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/bertsent").path
    return URL(fileURLWithPath: home).appendingPathComponent("models/all-MiniLM-L6-v2")
}()
