import BertSentCore
import Foundation

/// The huggingface_hub environment variables bertsent honours, with huggingface_hub's meanings and defaults, read
/// from a dictionary so tests can set them without touching the process.
public struct HubEnvironment: Sendable {
    /// The environment the variables are read from.
    public var variables: [String: String]

    /// Reads `variables`: the process's environment unless a test passes others.
    public init(_ variables: [String: String] = ProcessInfo.processInfo.environment) {
        self.variables = variables
    }

    private func value(_ name: String) -> String? {
        variables[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `HF_HOME`, else `~/.cache/huggingface`.
    public var home: URL {
        if let path = value("HF_HOME") { return URL(fileURLWithPath: (path as NSString).expandingTildeInPath) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/huggingface")
    }

    /// `HF_HUB_CACHE`, else the legacy `HUGGINGFACE_HUB_CACHE`, else `HF_HOME/hub`.
    public var cacheRoot: URL {
        if let path = value("HF_HUB_CACHE") ?? value("HUGGINGFACE_HUB_CACHE") {
            return URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        }
        return home.appendingPathComponent("hub")
    }

    /// `HF_HUB_OFFLINE` or `TRANSFORMERS_OFFLINE` set to 1, ON, YES or TRUE (any case).
    public var isOffline: Bool {
        ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"].contains { name in
            value(name).map { ["1", "ON", "YES", "TRUE"].contains($0.uppercased()) } ?? false
        }
    }

    /// `HF_ENDPOINT` without a trailing slash, else `https://huggingface.co`.
    public var endpoint: String {
        var text = value("HF_ENDPOINT") ?? "https://huggingface.co"
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// `HF_TOKEN`, else the content of the file `HF_TOKEN_PATH` (default `HF_HOME/token`, where
    /// `huggingface-cli login` puts it), stripped; never logged.
    public var token: String? {
        if let token = value("HF_TOKEN") { return token }
        let path =
            value("HF_TOKEN_PATH").map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
            ?? home.appendingPathComponent("token")
        let text = (try? String(contentsOf: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The limit for metadata requests (`HEAD`): `HF_HUB_ETAG_TIMEOUT`, 10 s by default as in huggingface_hub.
    public func metadataTimeout() throws -> HubTimeout { try timeout("HF_HUB_ETAG_TIMEOUT") }

    /// The limit for file downloads (`GET`): `HF_HUB_DOWNLOAD_TIMEOUT`, 10 s by default as in huggingface_hub.
    public func downloadTimeout() throws -> HubTimeout { try timeout("HF_HUB_DOWNLOAD_TIMEOUT") }

    private func timeout(_ name: String) throws -> HubTimeout {
        guard let text = value(name) else { return HubTimeout(seconds: 10, variable: name) }
        guard let seconds = TimeInterval(text.trimmingCharacters(in: .whitespaces)), seconds > 0, seconds.isFinite
        else {
            throw HubError.invalidTimeout(variable: name, value: text)
        }
        return HubTimeout(seconds: seconds, variable: name)
    }
}
