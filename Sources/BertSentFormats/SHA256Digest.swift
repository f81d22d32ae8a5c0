import BertSentCore
import Crypto
import Foundation

/// SHA-256 digests in lowercase hex: how the Hub names LFS files (`X-Linked-Etag`), and what identifies
/// a teacher's weights in distillation's cache.
package enum SHA256Digest {
    /// The digest of `bytes`.
    package static func hex(_ bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The digest of the file at `url`, read in 1 MiB pieces so large weights need little memory; `what`
    /// names the file in an error ("the download").
    package static func hex(fileAt url: URL, what: String) throws -> String {
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var hasher = SHA256()
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
            return hex(hasher.finalize())
        } catch {
            throw FileError.unreadable(path: url.path, what: what, reason: FileError.reason(error))
        }
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
