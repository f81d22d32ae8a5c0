import BertSentCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock` on `<cache>/.locks/models--…/<etag>.lock`, as huggingface_hub takes, so two
/// processes (bertsent or Python) never write the same blob at once.
final class HubFileLock {
    private let descriptor: Int32

    /// Blocks until the lock at `url` is held.
    init(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        descriptor = open(url.path, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else {
            throw FileError.unwritable(path: url.path, what: "the lock file", reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw HubError.lockFailed(path: url.path, reason: reason)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
