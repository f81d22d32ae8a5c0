import BertSentCore
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What a `HEAD` on a `resolve/` URL says about one file (huggingface_hub's `get_hf_file_metadata`).
struct HubFileMetadata {
    /// `X-Repo-Commit`: the commit the revision resolved to.
    var commit: String
    /// `X-Linked-Etag` (the sha256 of an LFS file) else `ETag` (git's sha1), without `W/` and quotes.
    var etag: String
    /// `X-Linked-Size` else `Content-Length`.
    var size: Int64?

    /// Whether the etag is an LFS sha256, which the downloaded bytes must match.
    var isLFS: Bool {
        etag.utf8.count == 64 && etag.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The etag as huggingface_hub normalizes it.
    static func normalize(_ etag: String) -> String {
        var text = etag.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("W/") { text.removeFirst(2) }
        return text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// Whether `etag` can name its blob in the cache: visible ASCII (as HTTP's entity tags are), and neither a
    /// path nor hidden. A NUL or a control character would name another file, or none, on disk.
    static func isFileName(_ etag: String) -> Bool {
        !etag.isEmpty && !etag.hasPrefix(".") && !etag.contains("/")
            && etag.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) }
    }

    /// A size header's value (`Content-Length`, `X-Linked-Size`, `Content-Range`'s total); nil unless it is a
    /// number of bytes, which is never negative.
    static func byteCount(_ value: String) -> Int64? {
        Int64(value).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// Reads the metadata headers of a successful (2xx or 3xx) response.
    init(response: HTTPURLResponse, url: URL) throws {
        func header(_ name: String) -> String? {
            response.value(forHTTPHeaderField: name).flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let commit = header("X-Repo-Commit") else {
            throw HubError.invalidMetadata(url: url.absoluteString, header: "X-Repo-Commit", value: nil)
        }
        guard let etag = (header("X-Linked-Etag") ?? header("ETag")).map(Self.normalize), Self.isFileName(etag) else {
            throw HubError.invalidMetadata(url: url.absoluteString, header: "ETag or X-Linked-Etag", value: nil)
        }
        guard HubRepoReference.isCommit(commit) else {
            throw HubError.invalidMetadata(url: url.absoluteString, header: "X-Repo-Commit", value: commit)
        }
        self.commit = commit
        self.etag = etag
        self.size = (header("X-Linked-Size") ?? header("Content-Length")).flatMap(Self.byteCount)
    }
}
