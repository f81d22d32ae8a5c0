import BertSentCore
import Foundation

/// Turns a model name (`ORG/NAME[@REV]` or a legacy `NAME`) into a snapshot folder, as transformers'
/// `from_pretrained` does: the cache, checked against the Hub when the revision is a branch or tag,
/// and, unless offline, a download into that cache.
public enum HubModelResolver {
    /// The snapshot folder for `name`.
    ///
    /// - A commit with a complete snapshot in the cache needs no network.
    /// - Offline (`HF_HUB_OFFLINE`/`TRANSFORMERS_OFFLINE`), only the cache is used.
    /// - A cached branch or tag is checked with one `HEAD`: if it has moved, the new commit is
    ///   downloaded; if the Hub cannot be asked (no network, timeout, an HTTP error), the cached commit is
    ///   used with a warning, as huggingface_hub does.
    public static func resolve(
        _ name: String, environment: HubEnvironment = HubEnvironment(), onEvent: HubEventHandler? = nil
    ) throws -> URL {
        let reference = try HubRepoReference(parsing: name)
        let cache = HubCache(environment: environment)
        let cached = cache.cachedSnapshot(reference)
        if let cached, reference.revisionIsCommit { return cached }
        if environment.isOffline {
            guard let cached else {
                throw HubError.offlineNotCached(reference, repoFolder: cache.repoFolder(reference).path)
            }
            return cached
        }
        let downloader = HubDownloader(environment: environment, onEvent: onEvent)
        guard let cached else { return try downloader.download(reference) }
        let current: String
        do { current = try downloader.currentCommit(reference) } catch {
            onEvent?(
                .warning(
                    "cannot check \(reference.repo)@\(reference.revision) on the Hub (\(error)); using the cached commit \(cached.lastPathComponent)"
                ))
            return cached
        }
        return current == cached.lastPathComponent ? cached : try downloader.download(reference)
    }
}
