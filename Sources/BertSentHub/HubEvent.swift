/// What resolving or downloading a model reports while it runs, for a front end to render: the library
/// prints nothing itself.
public enum HubEvent: Sendable {
    /// Bytes of one file arrived (sent as they arrive, then once more when the file is in place).
    case progress(HubFileProgress)
    /// Something the user should know that does not stop the run, e.g. a cached model used because
    /// the Hub could not be reached.
    case warning(String)
}

/// The state of one file's download.
public struct HubFileProgress: Sendable, Equatable {
    /// The file's path in the repo, e.g. `model.safetensors`.
    public var file: String
    /// Bytes on disk so far, counting a part resumed from an earlier run.
    public var bytes: Int64
    /// The size the Hub announced (`X-Linked-Size`, else `Content-Length`), when it did.
    public var total: Int64?
    /// Whether the file is checked and in the cache.
    public var isComplete: Bool

    /// The state of `file`, with `bytes` of `total` on disk.
    public init(file: String, bytes: Int64, total: Int64?, isComplete: Bool) {
        self.file = file
        self.bytes = bytes
        self.total = total
        self.isComplete = isComplete
    }
}

/// Receives ``HubEvent``s, possibly from a networking thread.
public typealias HubEventHandler = @Sendable (HubEvent) -> Void
