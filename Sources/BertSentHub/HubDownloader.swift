import BertSentCore
import BertSentFormats
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Downloads a BERT model repo into the shared cache with the Hub's own protocol (`HEAD`, then `GET` from
/// `resolve/` URLs), so Python's huggingface_hub finds what bertsent fetched and the other way round.
///
/// The cache is never half-written: a file goes to `blobs/<etag>.incomplete` (kept for a later run to
/// resume), becomes `blobs/<etag>` only once its size and sha256 are right, and only then gets its
/// symlink in `snapshots/<commit>/`; `refs/<revision>` is written last, once the snapshot is whole.
package struct HubDownloader: Sendable {
    package var environment: HubEnvironment
    package var cache: HubCache
    /// Receives per-file progress.
    package var onEvent: HubEventHandler?

    package init(environment: HubEnvironment = HubEnvironment(), onEvent: HubEventHandler? = nil) {
        self.environment = environment
        self.cache = HubCache(environment: environment)
        self.onEvent = onEvent
    }

    /// Tokenizer files; any may be absent, but one of vocab.txt and tokenizer.json must be there.
    static let tokenizerFiles = ["vocab.txt", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json"]

    /// The commit `reference`'s revision names on the Hub now (one `HEAD`, downloading nothing).
    package func currentCommit(_ reference: HubRepoReference) throws -> String {
        guard let metadata = try head("config.json", of: reference, revision: reference.revision) else {
            throw noConfig(reference)
        }
        return metadata.commit
    }

    /// Downloads what is missing of `reference` and returns its snapshot folder.
    package func download(_ reference: HubRepoReference) throws -> URL {
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
            throw missing(.tokenizer, of: reference, at: url(reference, commit, "vocab.txt"))
        }
        if try fetch(CheckpointTensors.singleFile, of: reference, revision: commit) == nil {
            guard try fetch(SafeTensorsIndex.fileName, of: reference, revision: commit) != nil else {
                throw missing(.weights, of: reference, at: url(reference, commit, CheckpointTensors.singleFile))
            }
            let snapshot = cache.snapshotFolder(reference, commit: commit)
            for shard in try SafeTensorsIndex(contentsOf: snapshot.appendingPathComponent(SafeTensorsIndex.fileName))
                .shardNames
            {
                guard try fetch(shard, of: reference, revision: commit) != nil else {
                    throw missing(.shard(shard), of: reference, at: url(reference, commit, shard))
                }
            }
        }
        try writeRef(reference, commit: commit)
        return cache.snapshotFolder(reference, commit: commit)
    }

    private func noConfig(_ reference: HubRepoReference) -> HubError {
        missing(.config, of: reference, at: url(reference, reference.revision, "config.json"))
    }

    private func missing(_ file: HubError.RepoFile, of reference: HubRepoReference, at address: URL) -> HubError {
        .missingRepoFile(repo: reference.repo, revision: reference.revision, file: file, url: address.absoluteString)
    }

    /// `{endpoint}/{repo}/resolve/{revision, fully escaped}/{file, path-escaped}`.
    func url(_ reference: HubRepoReference, _ revision: String, _ file: String) -> URL {
        var unreserved = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
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
        let head = try HubHTTP.perform(
            request(address, method: "HEAD"), timeout: environment.metadataTimeout(), redirects: .relativeOnly)
        switch head.statusCode {
        case 200..<400: return try HubFileMetadata(response: head, url: address)
        case 401:
            throw HubError.unauthorized(
                repo: reference.repo, url: address.absoluteString, tokenSent: environment.token != nil)
        case 403:
            throw HubError.forbidden(repo: reference.repo, url: address.absoluteString)
        case 404:
            guard let commit = head.value(forHTTPHeaderField: "X-Repo-Commit"), HubRepoReference.isCommit(commit) else {
                throw HubError.notFound(
                    repo: reference.repo, revision: reference.revision, endpoint: environment.endpoint, file: file,
                    url: address.absoluteString)
            }
            let marker = noExistMarker(file, of: reference, commit: commit)
            try? FileManager.default.createDirectory(
                at: marker.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: marker.path, contents: nil)
            return nil
        default:
            throw HubError.unexpectedStatus(
                method: "HEAD", file: file, repo: reference.repo, status: head.statusCode, url: address.absoluteString)
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
            FileManager.default.fileExists(atPath: noExistMarker(file, of: reference, commit: revision).path)
        {
            return nil
        }
        guard let metadata = try head(file, of: reference, revision: revision) else { return nil }
        let blob = cache.blobsFolder(reference).appendingPathComponent(metadata.etag)
        let manager = FileManager.default
        if !manager.fileExists(atPath: blob.path) {
            let lock = try HubFileLock(cache.locksFolder(reference).appendingPathComponent("\(metadata.etag).lock"))
            // Another process may have finished the blob while we waited for the lock.
            if !manager.fileExists(atPath: blob.path) {
                try downloadBlob(
                    url(reference, revision, file), to: blob, metadata: metadata, file: file, repo: reference.repo)
            }
            withExtendedLifetime(lock) {}
        }
        try link(
            cache.snapshotFolder(reference, commit: metadata.commit).appendingPathComponent(file), to: metadata.etag,
            file: file)
        return metadata
    }

    /// GETs the file into `<blob>.incomplete` (resuming with Range), checks size and sha256, then moves it.
    private func downloadBlob(_ address: URL, to blob: URL, metadata: HubFileMetadata, file: String, repo: String)
        throws
    {
        let manager = FileManager.default
        let partial = blob.appendingPathExtension("incomplete")
        let handle: FileHandle
        do {
            try manager.createDirectory(at: blob.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !manager.fileExists(atPath: partial.path) { try Data().write(to: partial) }
            handle = try FileHandle(forWritingTo: partial)
        } catch {
            throw FileError.unwritable(path: partial.path, what: "the download file", reason: FileError.reason(error))
        }
        defer { try? handle.close() }
        let have = try handle.seekToEnd()
        // A disk too small for the rest of the file is reported before the transfer, not after filling it.
        let remaining = metadata.size.map { max(0, $0 - Int64(have)) }
        if let remaining { try DiskSpace.require(remaining, at: partial, what: "the download of \(file)") }
        var get = request(address, method: "GET")
        if have > 0 { get.setValue("bytes=\(have)-", forHTTPHeaderField: "Range") }
        let report = onEvent
        let progress = { @Sendable (complete: Bool) in
            report?(
                .progress(
                    HubFileProgress(
                        file: file, bytes: Int64((try? handle.offset()) ?? 0), total: metadata.size,
                        isComplete: complete)))
        }
        progress(false)
        let download = HubHTTP.Download(
            sink: handle,
            prepare: { response in
                let resumed = response.statusCode == 206
                if let expected = metadata.size, let sent = Self.announcedSize(response, resumedFrom: have),
                    sent != expected
                {
                    throw HubError.sizeMismatch(
                        file: file, url: (response.url ?? address).absoluteString, size: sent, expected: expected,
                        announced: true)
                }
                // A server that ignores Range sends the whole file: start over rather than append.
                if !resumed { try handle.truncate(atOffset: 0) }
            }, written: { progress(false) })
        let timeout = try environment.downloadTimeout()
        let response: HTTPURLResponse
        // Either way the partial file stays so the next run resumes it.
        do {
            response = try HubHTTP.perform(get, timeout: timeout, redirects: .all, download: download)
            try handle.synchronize()
        } catch let error as HubError {
            throw HubError.downloadInterrupted(file: file, partial: partial.path, cause: error)
        } catch {
            throw DiskSpace.noSpaceError(
                error, path: partial.path, what: "the download of \(file)",
                needed: remaining ?? Int64((try? handle.offset()) ?? 0) - Int64(have), folder: partial)
                ?? HubError.downloadWriteFailed(file: file, partial: partial.path, reason: FileError.reason(error))
        }
        guard (200..<300).contains(response.statusCode) else {
            throw HubError.unexpectedStatus(
                method: "GET", file: file, repo: repo, status: response.statusCode, url: address.absoluteString)
        }
        let size = Int64(try handle.offset())
        if let expected = metadata.size, size != expected {
            // Too short: kept for a resume. Too long: it can never become right.
            if size > expected { try? manager.removeItem(at: partial) }
            throw HubError.sizeMismatch(
                file: file, url: address.absoluteString, size: size, expected: expected, announced: false)
        }
        if metadata.isLFS {
            let digest = try SHA256Digest.hex(fileAt: partial, what: "the download")
            guard digest == metadata.etag else {
                try? manager.removeItem(at: partial)
                throw HubError.checksumMismatch(
                    file: file, url: address.absoluteString, sha256: digest, expected: metadata.etag)
            }
        }
        do { try manager.moveItem(at: partial, to: blob) } catch {
            throw FileError.unwritable(
                path: blob.path, what: "the finished download (moving it into place)", reason: FileError.reason(error))
        }
        progress(true)
    }

    /// The whole file's size as a GET response announces it: `Content-Range`'s total for a 206 (else the
    /// resume offset plus `Content-Length`), `Content-Length` for a 200; nil when the server does not say.
    static func announcedSize(_ response: HTTPURLResponse, resumedFrom offset: UInt64) -> Int64? {
        let length = response.value(forHTTPHeaderField: "Content-Length").flatMap(HubFileMetadata.byteCount)
        guard response.statusCode == 206 else { return length }
        if let range = response.value(forHTTPHeaderField: "Content-Range"),
            let total = range.split(separator: "/").last.flatMap({ HubFileMetadata.byteCount(String($0)) })
        {
            return total
        }
        // A length no file can have (the sum overflows) says nothing.
        return length.flatMap { length in
            let (total, overflow) = Int64(clamping: offset).addingReportingOverflow(length)
            return overflow ? nil : total
        }
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
            throw FileError.unwritable(
                path: pointer.path, what: "the snapshot file's link to its blob", reason: FileError.reason(error))
        }
    }

    /// Writes `refs/<revision>` (no newline, as Python) when the revision is a branch or tag.
    private func writeRef(_ reference: HubRepoReference, commit: String) throws {
        guard reference.revision != commit else { return }
        let ref = cache.refFile(reference, revision: reference.revision)
        if (try? String(contentsOf: ref, encoding: .utf8)) == commit { return }
        do {
            try FileManager.default.createDirectory(
                at: ref.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(commit.utf8).write(to: ref, options: .atomic)
        } catch {
            throw FileError.unwritable(path: ref.path, what: "the ref", reason: FileError.reason(error))
        }
    }
}
