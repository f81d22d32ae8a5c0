import BertSentCore
import Foundation

/// How `bertsent serve` listens, batches and limits requests, each setting declared once in `settings`
/// (the command line and help read that table). Defaults follow text-embeddings-inference where it has
/// the setting.
public struct ServerConfiguration: Configurable {
    /// The address to bind; loopback unless the operator asks for more.
    public var host = "127.0.0.1"
    /// 0 lets the system pick a free port (reported when the server starts listening).
    public var port = 8080
    /// Most inputs per model batch.
    public var maxBatchRequests = 32
    /// Most tokens per model batch, summed before padding.
    public var maxBatchTokens = 16_384
    /// Milliseconds the batcher waits for more inputs when a batch is not full.
    public var maxWaitMilliseconds = 2.0
    /// Inputs waiting for the model beyond which requests get 429.
    public var maxQueuedInputs = 512
    /// Largest request body in bytes; a larger one gets 413.
    public var maxPayloadBytes = 2 * 1024 * 1024
    /// Most inputs in one request; more get 422.
    public var maxInputsPerRequest = 32
    /// Seconds a request may wait for the model before it gets 503; also the idle connection timeout.
    public var requestTimeoutSeconds = 30.0
    /// Most open connections; the server answers any more with 503 and closes them at once.
    public var maxConnections = 256
    /// Seconds a client has to send a request's head and body, counted from the connection's opening (its
    /// first request) or the request's first byte (later ones); it then gets 408 and the connection closes.
    public var requestReadTimeoutSeconds = 20.0
    /// When set, every route but `/health` and the page at `GET /` needs `Authorization: Bearer <key>`.
    public var apiKey: String?

    /// Every setting at its default.
    public init() {}

    /// Every setting, with its name and help: the command line and its help read this table.
    public static let settings: [Setting<ServerConfiguration>] = [
        Setting("host", \.host, help: "Address to bind (loopback by default; 0.0.0.0 for every interface)."),
        Setting("port", \.port, help: "Port to listen on (0 picks a free one and prints it)."),
        Setting("max_batch_requests", \.maxBatchRequests, help: "Most inputs per model batch."),
        Setting("max_batch_tokens", \.maxBatchTokens, help: "Most tokens per model batch, summed before padding."),
        Setting(
            "max_wait_ms", \.maxWaitMilliseconds,
            help: "Milliseconds the batcher waits for more inputs when a batch is not full."),
        Setting(
            "max_queued_inputs", \.maxQueuedInputs, help: "Inputs waiting for the model beyond which requests get 429."),
        Setting("max_payload_bytes", \.maxPayloadBytes, help: "Largest request body in bytes (413 beyond)."),
        Setting("max_inputs", \.maxInputsPerRequest, help: "Most inputs in one request (422 beyond)."),
        Setting(
            "request_timeout", \.requestTimeoutSeconds,
            help: "Seconds a request may wait for the model (503 beyond); also the idle connection timeout."),
        Setting(
            "max_connections", \.maxConnections,
            help: "Most open connections; more are answered 503 and closed at once."),
        Setting(
            "request_read_timeout", \.requestReadTimeoutSeconds,
            help:
                "Seconds a client has to send a request's head and body, from connecting or the request's first byte (408 beyond)."
        ),
        Setting(
            "api_key", \.apiKey,
            help: "Require 'Authorization: Bearer <key>' on every route but /health and the page (GET /)."),
    ]

    /// How long the batcher waits for a fuller batch once one input is queued.
    public var maxWait: Duration {
        get { .microseconds(Int64(maxWaitMilliseconds * 1000)) }
        set { maxWaitMilliseconds = newValue.seconds * 1000 }
    }

    /// The longest a request may wait for the model; it then gets 503.
    public var requestTimeout: Duration {
        get { .microseconds(Int64(requestTimeoutSeconds * 1_000_000)) }
        set { requestTimeoutSeconds = newValue.seconds }
    }

    /// The longest a client may take to send a request's head and body, however steadily it sends.
    public var requestReadTimeout: Duration {
        get { .microseconds(Int64(requestReadTimeoutSeconds * 1_000_000)) }
        set { requestReadTimeoutSeconds = newValue.seconds }
    }

    /// Refuses settings the server cannot work with, naming the setting.
    public func validate() throws {
        let require = SettingsError.require
        try require((0...65_535).contains(port), "port", port, "between 0 and 65535")
        try require(maxBatchRequests >= 1, "max_batch_requests", maxBatchRequests, "at least 1")
        try require(maxBatchTokens >= 1, "max_batch_tokens", maxBatchTokens, "at least 1")
        try require(maxWaitMilliseconds >= 0, "max_wait_ms", maxWaitMilliseconds, "not negative")
        try require(maxQueuedInputs >= 1, "max_queued_inputs", maxQueuedInputs, "at least 1")
        try require(maxPayloadBytes >= 1, "max_payload_bytes", maxPayloadBytes, "at least 1")
        try require(maxInputsPerRequest >= 1, "max_inputs", maxInputsPerRequest, "at least 1")
        try require(requestTimeoutSeconds > 0, "request_timeout", requestTimeoutSeconds, "positive")
        try require(maxConnections >= 1, "max_connections", maxConnections, "at least 1")
        try require(
            requestReadTimeoutSeconds > 0, "request_read_timeout", requestReadTimeoutSeconds, "positive")
        if maxQueuedInputs < maxInputsPerRequest {
            throw SettingsError.conflict(
                setting: "max_queued_inputs", with: "max_inputs",
                reason: "the queue (\(maxQueuedInputs)) must hold at least one full request (\(maxInputsPerRequest))")
        }
        if let apiKey { try require(!apiKey.isEmpty, "api_key", "''", "not empty") }
    }
}
