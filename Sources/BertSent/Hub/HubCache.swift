import Foundation

/// The Hugging Face cache shared with Python (`models--ORG--NAME/{blobs,refs,snapshots}`), so a model
/// transformers downloaded is found here and one bertsent downloads is found there.
public struct HubCache: Sendable {
    /// The cache root (`HF_HUB_CACHE` and friends; see ``HubEnvironment/cacheRoot``).
    public var root: URL

    public init(root: URL) { self.root = root }

    public init(environment: HubEnvironment = HubEnvironment()) { self.init(root: environment.cacheRoot) }

    /// `<root>/models--ORG--NAME`.
    public func repoFolder(_ reference: HubRepoReference) -> URL { root.appendingPathComponent(reference.folderName) }

    func blobsFolder(_ reference: HubRepoReference) -> URL { repoFolder(reference).appendingPathComponent("blobs") }

    func snapshotFolder(_ reference: HubRepoReference, commit: String) -> URL {
        repoFolder(reference).appendingPathComponent("snapshots").appendingPathComponent(commit)
    }

    func refFile(_ reference: HubRepoReference, revision: String) -> URL {
        repoFolder(reference).appendingPathComponent("refs").appendingPathComponent(revision)
    }

    /// `<root>/.locks/models--ORG--NAME`, where huggingface_hub keeps one lock file per blob.
    func locksFolder(_ reference: HubRepoReference) -> URL {
        root.appendingPathComponent(".locks").appendingPathComponent(reference.folderName)
    }

    /// The commit a revision names: itself when it is a 40-hex commit, else the content of `refs/<revision>`.
    public func commit(for reference: HubRepoReference) -> String? {
        if reference.revisionIsCommit { return reference.revision }
        let text = try? String(contentsOf: refFile(reference, revision: reference.revision), encoding: .utf8)
        // Python writes refs without a newline, but a hand-edited ref may carry one.
        return text.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The snapshot folder of `reference` when the cache holds a usable one (config.json plus
    /// model.safetensors or a sharded index), else nil.
    public func cachedSnapshot(_ reference: HubRepoReference) -> URL? {
        guard let commit = commit(for: reference) else { return nil }
        let folder = snapshotFolder(reference, commit: commit)
        let manager = FileManager.default
        // fileExists follows the symlinks, so a dangling link to a missing blob does not count.
        guard manager.fileExists(atPath: folder.appendingPathComponent("config.json").path) else { return nil }
        if manager.fileExists(atPath: folder.appendingPathComponent("model.safetensors").path) { return folder }
        let index = folder.appendingPathComponent("model.safetensors.index.json")
        guard let shards = try? HubShardIndex.shardNames(indexAt: index),
              shards.allSatisfy({ manager.fileExists(atPath: folder.appendingPathComponent($0).path) })
        else { return nil }
        return folder
    }

    /// What a cache lookup checked, for error messages.
    func lookedFor(_ reference: HubRepoReference) -> String {
        let place = reference.revisionIsCommit
            ? "snapshots/\(reference.revision)"
            : "refs/\(reference.revision) → snapshots/<commit>"
        return "\(reference.repo)@\(reference.revision) in \(repoFolder(reference).path) (\(place) with config.json and model.safetensors)"
    }
}
