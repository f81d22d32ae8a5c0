import Foundation

/// Reading or writing a file failed; `reason` is the system's account of why, in a few words.
public enum FileError: BertSentError, Equatable {
    /// `path` does not exist or cannot be read; `what` says what it was meant to be ("the model config").
    case unreadable(path: String, what: String, reason: String)
    /// `path` cannot be created or written.
    case unwritable(path: String, what: String, reason: String)
    /// The file system holding `path` has `available` bytes free and writing `what` needs about `needed`.
    case noSpace(path: String, what: String, needed: Int64, available: Int64)

    public var category: ErrorCategory {
        switch self {
        case .unreadable: .fileUnavailable
        case .unwritable, .noSpace: .writeFailed
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let path, let what, let reason): "\(path): cannot read \(what) (\(reason))"
        case .unwritable(let path, let what, let reason): "\(path): cannot write \(what) (\(reason))"
        case .noSpace(let path, let what, let needed, let available):
            "\(path): not enough disk space to write \(what): it needs about \(Self.megabytes(needed)), and \(Self.megabytes(available)) are free"
        }
    }

    /// Whether the file system ran out of space, whether found before writing or while writing.
    public var isNoSpace: Bool {
        switch self {
        case .noSpace: true
        case .unwritable(_, _, let reason): reason == String(cString: strerror(ENOSPC))
        case .unreadable: false
        }
    }

    private static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB (%lld bytes)", Double(bytes) / 1e6, bytes)
    }

    /// `error`'s reason in a few words: the POSIX error's text ("No such file or directory") when
    /// Foundation wraps one, rather than its long localized sentence naming the file again.
    public static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedFailureReason ?? ns.localizedDescription
    }
}
