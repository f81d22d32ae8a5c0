import BertSentCore
import BertSentFormats
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads a BERT model repo into the shared cache with the Hub's own protocol (FACTS §3), so Python's
/// huggingface_hub finds what bertsent fetched and the other way round.
///
/// The cache is never half-written: a file goes to `blobs/<etag>.incomplete` (kept for a later run to
/// resume), becomes `blobs/<etag>` only once its size and sha256 are right, and only then gets its
/// symlink in `snapshots/<commit>/`; `refs/<revision>` is written last, once the snapshot is whole.
public struct HubDownloader: Sendable {
    public var environment: HubEnvironment
    public var cache: HubCache
    /// Receives per-file progress.
    public var onEvent: HubEventHandler?

    public init(environment: HubEnvironment = HubEnvironment(), onEvent: HubEventHandler? = nil) {
        self.environment = environment
        self.cache = HubCache(environment: environment)
        self.onEvent = onEvent
    }

    /// Tokenizer files; any may be absent, but one of vocab.txt and tokenizer.json must be there.
    static let tokenizerFiles = ["vocab.txt", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json"]

    /// The commit `reference`'s revision names on the Hub now (one `HEAD`, downloading nothing).
    public func currentCommit(_ reference: HubRepoReference) throws -> String {
        guard let metadata = try head("config.json", of: reference, revision: reference.revision) else {
            throw noConfig(reference)
        }
        return metadata.commit
    }

    /// Downloads what is missing of `reference` and returns its snapshot folder.
    public func download(_ reference: HubRepoReference) throws -> URL {
        // The first HEAD pins the commit, so every later file comes from the same one.
        guard let config = try fetch("config.json", of: reference, revision: reference.revision) else {
            throw noConfig(reference)
        }
        let commit = config.commit
        var tokenizerFound = false
        for file in Self.tokenizerFiles {
            let fetched = try fetch(file, of: reference, revision: commit) != nil
            if fetched && (file == "vocab.txt" || file == "tokenizer.json") { tokenizerFound = true }
        }
        guard tokenizerFound else {
            throw MessageError("\(reference.repo)@\(reference.revision) has neither vocab.txt nor tokenizer.json", file: url(reference, commit, "vocab.txt").absoluteString)
        }
        if try fetch(CheckpointTensors.singleFile, of: reference, revision: commit) == nil {
            guard try fetch(SafeTensorsIndex.fileName, of: reference, revision: commit) != nil else {
                throw MessageError("\(reference.repo)@\(reference.revision) has neither model.safetensors nor model.safetensors.index.json (pytorch_model.bin is not supported)", file: url(reference, commit, CheckpointTensors.singleFile).absoluteString)
            }
            let snapshot = cache.snapshotFolder(reference, commit: commit)
            for shard in try SafeTensorsIndex(contentsOf: snapshot.appendingPathComponent(SafeTensorsIndex.fileName)).shardNames {
                guard try fetch(shard, of: reference, revision: commit) != nil else {
                    throw MessageError("\(reference.repo): shard \(shard) named by model.safetensors.index.json is missing", file: url(reference, commit, shard).absoluteString)
                }
            }
        }
        try writeRef(reference, commit: commit)
        return cache.snapshotFolder(reference, commit: commit)
    }

    private func noConfig(_ reference: HubRepoReference) -> MessageError {
        MessageError("\(reference.repo) has no config.json at revision \(reference.revision)", file: url(reference, reference.revision, "config.json").absoluteString)
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

    private func request(_ url: URL, method: String) -> URLRequest {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        request.setValue("bertsent", forHTTPHeaderField: "User-Agent")
        if let token = environment.token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return request
    }

    /// The metadata of `file` (huggingface_hub's `get_hf_file_metadata`); nil when the repo exists but
    /// has no such file (recorded in `.no_exist/<commit>/` as huggingface_hub does).
    private func head(_ file: String, of reference: HubRepoReference, revision: String) throws -> HubFileMetadata? {
        let address = url(reference, revision, file)
        let head = try HubHTTP.perform(request(address, method: "HEAD"), timeout: environment.metadataTimeout(), redirects: .relativeOnly)
        switch head.statusCode {
        case 200..<400: return try HubFileMetadata(response: head, url: address)
        case 401:
            let advice = environment.token == nil
                ? "set HF_TOKEN to a token with access"
                : "the token sent (HF_TOKEN, --token or the token file) was refused; use one with access"
            throw MessageError("\(reference.repo) needs authentication (HTTP 401): it is gated or private; \(advice)", file: address.absoluteString)
        case 403:
            throw MessageError("access to \(reference.repo) is refused (HTTP 403); accept its terms on the Hub or use a token with access", file: address.absoluteString)
        case 404:
            guard let commit = head.value(forHTTPHeaderField: "X-Repo-Commit"), HubRepoReference.isCommit(commit) else {
                throw MessageError("repository \(reference.repo) or revision \(reference.revision) not found at \(environment.endpoint) (HTTP 404 for \(file))", file: address.absoluteString)
            }
            let marker = noExistMarker(file, of: reference, commit: commit)
            try? FileManager.default.createDirectory(at: marker.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: marker.path, contents: nil)
            return nil
        default:
            throw MessageError("HEAD for \(file) of \(reference.repo) returned HTTP \(head.statusCode)", file: address.absoluteString)
        }
    }

    /// Where the cache records that `commit` has no `file`.
    private func noExistMarker(_ file: String, of reference: HubRepoReference, commit: String) -> URL {
        cache.repoFolder(reference).appendingPathComponent(".no_exist/\(commit)/\(file)")
    }

    /// Makes `snapshots/<commit>/<file>` point at its blob, downloading the blob if needed; nil when the
    /// repo has no such file. A commit's files never change, so one already recorded as absent is not
    /// asked for again.
    private func fetch(_ file: String, of reference: HubRepoReference, revision: String) throws -> HubFileMetadata? {
        if HubRepoReference.isCommit(revision),
           FileManager.default.fileExists(atPath: noExistMarker(file, of: reference, commit: revision).path) {
            return nil
        }
        guard let metadata = try head(file, of: reference, revision: revision) else { return nil }
        let blob = cache.blobsFolder(reference).appendingPathComponent(metadata.etag)
        let manager = FileManager.default
        if !manager.fileExists(atPath: blob.path) {
            let lock = try HubFileLock(cache.locksFolder(reference).appendingPathComponent("\(metadata.etag).lock"))
            // Another process may have finished the blob while we waited for the lock.
            if !manager.fileExists(atPath: blob.path) {
                try downloadBlob(url(reference, revision, file), to: blob, metadata: metadata, file: file)
            }
            withExtendedLifetime(lock) {}
        }
        try link(cache.snapshotFolder(reference, commit: metadata.commit).appendingPathComponent(file), to: metadata.etag, file: file)
        return metadata
    }

    /// GETs the file into `<blob>.incomplete` (resuming with Range), checks size and sha256, then moves it.
    private func downloadBlob(_ address: URL, to blob: URL, metadata: HubFileMetadata, file: String) throws {
        let manager = FileManager.default
        let partial = blob.appendingPathExtension("incomplete")
        let handle: FileHandle
        do {
            try manager.createDirectory(at: blob.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !manager.fileExists(atPath: partial.path) { try Data().write(to: partial) }
            handle = try FileHandle(forWritingTo: partial)
        } catch {
            throw MessageError("cannot create the download file (\(FileError.reason(error)))", file: partial.path)
        }
        defer { try? handle.close() }
        let have = try handle.seekToEnd()
        var get = request(address, method: "GET")
        if have > 0 { get.setValue("bytes=\(have)-", forHTTPHeaderField: "Range") }
        let report = onEvent
        let progress = { @Sendable (complete: Bool) in
            report?(.progress(HubFileProgress(file: file, bytes: Int64((try? handle.offset()) ?? 0), total: metadata.size, isComplete: complete)))
        }
        progress(false)
        let download = HubHTTP.Download(sink: handle, prepare: { response in
            let resumed = response.statusCode == 206
            if let expected = metadata.size, let sent = Self.announcedSize(response, resumedFrom: have), sent != expected {
                throw MessageError("the server sends \(sent) bytes for \(file), but the Hub's metadata (X-Linked-Size/Content-Length) says \(expected); nothing was written", file: response.url?.absoluteString)
            }
            // A server that ignores Range sends the whole file: start over rather than append.
            if !resumed { try handle.truncate(atOffset: 0) }
        }, written: { progress(false) })
        let response: HTTPURLResponse
        do {
            response = try HubHTTP.perform(get, timeout: environment.downloadTimeout(), redirects: .all, download: download)
            try handle.synchronize()
        } catch let error as MessageError {
            // The partial file stays so the next run resumes it.
            throw MessageError("downloading \(file): \(error.message); what arrived is kept in the .incomplete file for the next run to resume", file: error.file ?? partial.path)
        } catch {
            throw MessageError("downloading \(file): cannot write (\(FileError.reason(error)))", file: partial.path)
        }
        guard (200..<300).contains(response.statusCode) else {
            throw MessageError("GET for \(file) returned HTTP \(response.statusCode)", file: address.absoluteString)
        }
        let size = Int64(try handle.offset())
        if let expected = metadata.size, size != expected {
            // Too short: kept for a resume. Too long: it can never become right.
            if size > expected { try? manager.removeItem(at: partial) }
            throw MessageError("\(file) arrived with \(size) bytes, expected \(expected)\(size < expected ? "; run again to resume" : "; the download was discarded")", file: address.absoluteString)
        }
        if metadata.isLFS {
            let digest = try SHA256.hex(fileAt: partial)
            guard digest == metadata.etag else {
                try? manager.removeItem(at: partial)
                throw MessageError("\(file) is corrupt: sha256 \(digest) does not match the Hub's \(metadata.etag); the download was discarded", file: address.absoluteString)
            }
        }
        do { try manager.moveItem(at: partial, to: blob) } catch {
            throw MessageError("cannot move the finished download into place (\(FileError.reason(error)))", file: blob.path)
        }
        progress(true)
    }

    /// The whole file's size as a GET response announces it: `Content-Range`'s total for a 206 (else the
    /// resume offset plus `Content-Length`), `Content-Length` for a 200; nil when the server does not say.
    static func announcedSize(_ response: HTTPURLResponse, resumedFrom offset: UInt64) -> Int64? {
        let length = response.value(forHTTPHeaderField: "Content-Length").flatMap { Int64($0) }
        guard response.statusCode == 206 else { return length }
        if let range = response.value(forHTTPHeaderField: "Content-Range"),
           let total = range.split(separator: "/").last.flatMap({ Int64($0) }) {
            return total
        }
        return length.map { Int64(offset) + $0 }
    }

    /// Creates `pointer` as a relative symlink to `blobs/<etag>` (`../../blobs/…`, deeper for nested files).
    private func link(_ pointer: URL, to etag: String, file: String) throws {
        let manager = FileManager.default
        let depth = file.split(separator: "/").count - 1
        let target = String(repeating: "../", count: depth + 2) + "blobs/" + etag
        if (try? manager.destinationOfSymbolicLink(atPath: pointer.path)) == target { return }
        try? manager.removeItem(at: pointer)
        do {
            try manager.createDirectory(at: pointer.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manager.createSymbolicLink(atPath: pointer.path, withDestinationPath: target)
        } catch {
            throw MessageError("cannot link the snapshot file to its blob (\(FileError.reason(error)))", file: pointer.path)
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
            throw MessageError("cannot write the ref (\(FileError.reason(error)))", file: ref.path)
        }
    }
}
