import BertSentFormats
import Foundation

/// The Hugging Face cache shared with Python (`models--ORG--NAME/{blobs,refs,snapshots}`), so a model
/// transformers downloaded is found here and one bertsent downloads is found there.
package struct HubCache: Sendable {
    /// The cache root (`HF_HUB_CACHE` and friends; see ``HubEnvironment/cacheRoot``).
    package var root: URL

    package init(root: URL) { self.root = root }

    package init(environment: HubEnvironment = HubEnvironment()) { self.init(root: environment.cacheRoot) }

    /// `<root>/models--ORG--NAME`.
    package func repoFolder(_ reference: HubRepoReference) -> URL { root.appendingPathComponent(reference.folderName) }

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
    package func commit(for reference: HubRepoReference) -> String? {
        if reference.revisionIsCommit { return reference.revision }
        let text = try? String(contentsOf: refFile(reference, revision: reference.revision), encoding: .utf8)
        // Python writes refs without a newline, but a hand-edited ref may carry one.
        return text.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The snapshot folder of `reference` when the cache holds a usable one (config.json, vocab.txt or
    /// tokenizer.json, and model.safetensors or a sharded index with all its shards), else nil.
    package func cachedSnapshot(_ reference: HubRepoReference) -> URL? {
        guard let commit = commit(for: reference) else { return nil }
        let folder = snapshotFolder(reference, commit: commit)
        // fileExists follows the symlinks, so a dangling link to a missing blob does not count.
        func has(_ file: String) -> Bool {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path)
        }
        guard has("config.json"), has("vocab.txt") || has("tokenizer.json") else { return nil }
        if has(CheckpointTensors.singleFile) { return folder }
        guard let index = try? SafeTensorsIndex(contentsOf: folder.appendingPathComponent(SafeTensorsIndex.fileName)),
            index.shardNames.allSatisfy(has)
        else { return nil }
        return folder
    }
}
