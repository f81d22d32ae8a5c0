import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads a BERT model repo into the shared cache with the Hub's own protocol (FACTS §3), so Python's
/// huggingface_hub finds what bertsent fetched and the other way round.
public struct HubDownloader: Sendable {
    public var environment: HubEnvironment
    public var cache: HubCache

    public init(environment: HubEnvironment = HubEnvironment()) {
        self.environment = environment
        self.cache = HubCache(environment: environment)
    }

    /// Tokenizer files; any may be absent, but one of vocab.txt and tokenizer.json must be there.
    static let tokenizerFiles = ["vocab.txt", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json"]

    /// Downloads what is missing of `reference` and returns its snapshot folder.
    public func download(_ reference: HubRepoReference) throws -> URL {
        // The first HEAD pins the commit, so every later file comes from the same one.
        guard let config = try fetch("config.json", of: reference, revision: reference.revision) else {
            throw BertSentError("\(reference.repo) has no config.json at revision \(reference.revision)", file: url(reference, reference.revision, "config.json").absoluteString)
        }
        let commit = config.commit
        try writeRef(reference, commit: commit)
        var tokenizerFound = false
        for file in Self.tokenizerFiles {
            let fetched = try fetch(file, of: reference, revision: commit) != nil
            if fetched && (file == "vocab.txt" || file == "tokenizer.json") { tokenizerFound = true }
        }
        guard tokenizerFound else {
            throw BertSentError("\(reference.repo)@\(reference.revision) has neither vocab.txt nor tokenizer.json", file: url(reference, commit, "vocab.txt").absoluteString)
        }
        if try fetch("model.safetensors", of: reference, revision: commit) == nil {
            guard try fetch("model.safetensors.index.json", of: reference, revision: commit) != nil else {
                throw BertSentError("\(reference.repo)@\(reference.revision) has neither model.safetensors nor model.safetensors.index.json (pytorch_model.bin is not supported)", file: url(reference, commit, "model.safetensors").absoluteString)
            }
            let snapshot = cache.snapshotFolder(reference, commit: commit)
            for shard in try HubShardIndex.shardNames(indexAt: snapshot.appendingPathComponent("model.safetensors.index.json")) {
                guard try fetch(shard, of: reference, revision: commit) != nil else {
                    throw BertSentError("\(reference.repo): shard \(shard) named by model.safetensors.index.json is missing", file: url(reference, commit, shard).absoluteString)
                }
            }
        }
        return cache.snapshotFolder(reference, commit: commit)
    }

    /// `{endpoint}/{repo}/resolve/{revision, fully escaped}/{file, path-escaped}`.
    func url(_ reference: HubRepoReference, _ revision: String, _ file: String) -> URL {
        var unreserved = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        unreserved.insert(charactersIn: "-._~")
        let rev = revision.addingPercentEncoding(withAllowedCharacters: unreserved) ?? revision
        var pathAllowed = unreserved
        pathAllowed.insert("/")
        let path = file.addingPercentEncoding(withAllowedCharacters: pathAllowed) ?? file
        // A malformed HF_ENDPOINT surfaces as a failed request naming this string.
        return URL(string: "\(environment.endpoint)/\(reference.repo)/resolve/\(rev)/\(path)")
            ?? URL(fileURLWithPath: "/invalid-HF_ENDPOINT")
    }

    private func request(_ url: URL, method: String, timeout: TimeInterval) -> URLRequest {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        request.setValue("bertsent", forHTTPHeaderField: "User-Agent")
        if let token = environment.token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return request
    }

    /// Makes `snapshots/<commit>/<file>` point at its blob, downloading the blob if needed; nil when the
    /// repo exists but has no such file (recorded in `.no_exist/<commit>/` as huggingface_hub does).
    private func fetch(_ file: String, of reference: HubRepoReference, revision: String) throws -> HubFileMetadata? {
        let address = url(reference, revision, file)
        let head = try HubHTTP.perform(request(address, method: "HEAD", timeout: environment.metadataTimeout), redirects: .relativeOnly)
        switch head.statusCode {
        case 200..<400: break
        case 401:
            throw BertSentError("\(reference.repo) needs authentication (HTTP 401): it is gated or private; set HF_TOKEN to a token with access", file: address.absoluteString)
        case 403:
            throw BertSentError("access to \(reference.repo) is refused (HTTP 403); accept its terms on the Hub or use a token with access", file: address.absoluteString)
        case 404:
            guard let commit = head.value(forHTTPHeaderField: "X-Repo-Commit"), HubRepoReference.isCommit(commit) else {
                throw BertSentError("repository \(reference.repo) or revision \(reference.revision) not found at \(environment.endpoint) (HTTP 404 for \(file))", file: address.absoluteString)
            }
            let marker = cache.repoFolder(reference).appendingPathComponent(".no_exist/\(commit)/\(file)")
            try? FileManager.default.createDirectory(at: marker.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: marker.path, contents: nil)
            return nil
        default:
            throw BertSentError("HEAD for \(file) of \(reference.repo) returned HTTP \(head.statusCode)", file: address.absoluteString)
        }
        let metadata = try HubFileMetadata(response: head, url: address)
        let pointer = cache.snapshotFolder(reference, commit: metadata.commit).appendingPathComponent(file)
        let blob = cache.blobsFolder(reference).appendingPathComponent(metadata.etag)
        let manager = FileManager.default
        if !manager.fileExists(atPath: blob.path) {
            let lock = try HubFileLock(cache.locksFolder(reference).appendingPathComponent("\(metadata.etag).lock"))
            // Another process may have finished the blob while we waited for the lock.
            if !manager.fileExists(atPath: blob.path) {
                try downloadBlob(address, to: blob, metadata: metadata, file: file)
            }
            withExtendedLifetime(lock) {}
        }
        try link(pointer, to: metadata.etag, file: file)
        return metadata
    }

    /// GETs the file into `<blob>.incomplete` (resuming with Range), checks size and sha256, then moves it.
    private func downloadBlob(_ address: URL, to blob: URL, metadata: HubFileMetadata, file: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: blob.deletingLastPathComponent(), withIntermediateDirectories: true)
        let partial = blob.appendingPathExtension("incomplete")
        if !manager.fileExists(atPath: partial.path) { _ = manager.createFile(atPath: partial.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: partial)
        let have = try handle.seekToEnd()
        var get = request(address, method: "GET", timeout: environment.downloadTimeout)
        if have > 0 { get.setValue("bytes=\(have)-", forHTTPHeaderField: "Range") }
        let response: HTTPURLResponse
        do {
            response = try HubHTTP.perform(get, redirects: .all, sink: handle) { response in
                // A server that ignores Range sends the whole file: start over rather than append.
                if response.statusCode != 206 {
                    try handle.truncate(atOffset: 0)
                }
            }
            try handle.close()
        } catch {
            try? handle.close()
            // The partial file stays so the next run resumes it.
            throw (error as? BertSentError).map { BertSentError("downloading \(file): \($0.message)", file: $0.file) } ?? error
        }
        guard (200..<300).contains(response.statusCode) else {
            throw BertSentError("GET for \(file) returned HTTP \(response.statusCode)", file: address.absoluteString)
        }
        let size = (try manager.attributesOfItem(atPath: partial.path)[.size] as? NSNumber)?.int64Value ?? -1
        if let expected = metadata.size, size != expected {
            // Too short: kept for a resume. Too long: it can never become right.
            if size > expected { try? manager.removeItem(at: partial) }
            throw BertSentError("\(file) arrived with \(size) bytes, expected \(expected); run again to resume", file: address.absoluteString)
        }
        if metadata.isLFS {
            let digest = try SHA256.hex(fileAt: partial)
            guard digest == metadata.etag else {
                try? manager.removeItem(at: partial)
                throw BertSentError("\(file) is corrupt: sha256 \(digest) does not match the Hub's \(metadata.etag); the download was discarded", file: address.absoluteString)
            }
        }
        try manager.moveItem(at: partial, to: blob)
    }

    /// Creates `pointer` as a relative symlink to `blobs/<etag>` (`../../blobs/…`, deeper for nested files).
    private func link(_ pointer: URL, to etag: String, file: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: pointer.deletingLastPathComponent(), withIntermediateDirectories: true)
        let depth = file.split(separator: "/").count - 1
        let target = String(repeating: "../", count: depth + 2) + "blobs/" + etag
        if (try? manager.destinationOfSymbolicLink(atPath: pointer.path)) == target { return }
        try? manager.removeItem(at: pointer)
        do { try manager.createSymbolicLink(atPath: pointer.path, withDestinationPath: target) } catch {
            throw BertSentError("cannot link the snapshot file to its blob: \(error.localizedDescription)", file: pointer.path)
        }
    }

    /// Writes `refs/<revision>` (no newline, as Python) when the revision is a branch or tag.
    private func writeRef(_ reference: HubRepoReference, commit: String) throws {
        guard reference.revision != commit else { return }
        let ref = cache.refFile(reference, revision: reference.revision)
        if (try? String(contentsOf: ref, encoding: .utf8)) == commit { return }
        do {
            try FileManager.default.createDirectory(at: ref.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(commit.utf8).write(to: ref, options: .atomic)
        } catch {
            throw BertSentError("cannot write the ref: \(error.localizedDescription)", file: ref.path)
        }
    }
}
