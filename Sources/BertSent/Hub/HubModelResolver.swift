import Foundation

/// Turns a model name (`ORG/NAME[@REV]` or a legacy `NAME`) into a snapshot folder: the cache first,
/// then, unless offline, a download into that cache.
public enum HubModelResolver {
    /// The snapshot folder for `name`.
    public static func resolve(_ name: String, environment: HubEnvironment = HubEnvironment()) throws -> URL {
        let reference = try HubRepoReference(parsing: name)
        let cache = HubCache(environment: environment)
        if let snapshot = cache.cachedSnapshot(reference) { return snapshot }
        if environment.isOffline {
            throw BertSentError("offline (HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE is set) and the cache has no \(cache.lookedFor(reference))")
        }
        return try HubDownloader(environment: environment).download(reference)
    }
}
