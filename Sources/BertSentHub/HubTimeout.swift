import Foundation

/// How long a Hub request may wait for the server (to connect, and between two pieces of data, as
/// requests' `timeout` in huggingface_hub), with the environment variable that sets it so a timeout
/// error can say how to raise it.
public struct HubTimeout: Sendable, Equatable {
    /// The limit, in seconds.
    public var seconds: TimeInterval
    /// `HF_HUB_ETAG_TIMEOUT` or `HF_HUB_DOWNLOAD_TIMEOUT`.
    public var variable: String

    /// A limit of `seconds`, set by the environment variable `variable`.
    public init(seconds: TimeInterval, variable: String) {
        self.seconds = seconds
        self.variable = variable
    }
}
