import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The space left for writing on a file system, checked before a large write so a full disk is reported
/// before anything is half-written.
public enum DiskSpace {
    /// Bytes an unprivileged process may still write on the file system holding `url` (or its nearest
    /// existing ancestor, for a folder not yet made); nil when the system cannot say.
    public static func available(at url: URL) -> Int64? {
        var probe = url.standardizedFileURL
        while !FileManager.default.fileExists(atPath: probe.path), probe.pathComponents.count > 1 {
            probe.deleteLastPathComponent()
        }
        var info = statvfs()
        guard statvfs(probe.path, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// Throws `FileError.noSpace` when fewer than `bytes` can be written at `url`; `what` names what was
    /// to be written ("the checkpoint"). Does nothing when the free space cannot be read.
    public static func require(_ bytes: Int64, at url: URL, what: String) throws {
        if let free = available(at: url), free < bytes {
            throw FileError.noSpace(path: url.path, what: what, needed: bytes, available: free)
        }
    }

    /// Whether `error` (as Foundation or POSIX throws it) is the file system running out of space.
    public static func isNoSpace(_ error: any Error) -> Bool {
        if let error = error as? FileError { return error.isNoSpace }
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain, ns.code == CocoaError.fileWriteOutOfSpace.rawValue { return true }
        let posix = ns.domain == NSPOSIXErrorDomain ? ns : ns.userInfo[NSUnderlyingErrorKey] as? NSError
        return posix?.domain == NSPOSIXErrorDomain && posix?.code == Int(ENOSPC)
    }

    /// `error` as `FileError.noSpace` for `path` — about `needed` bytes, and what is free at `folder` now —
    /// when it is the file system running out of space; nil for any other error.
    public static func noSpaceError(_ error: any Error, path: String, what: String, needed: Int64, folder: URL)
        -> FileError?
    {
        guard isNoSpace(error) else { return nil }
        return .noSpace(path: path, what: what, needed: needed, available: available(at: folder) ?? 0)
    }
}
