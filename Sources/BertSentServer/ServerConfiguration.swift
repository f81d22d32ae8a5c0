import BertSentCore
import Foundation

/// How `bertsent serve` listens, batches and limits requests. Defaults follow text-embeddings-inference
/// where it has the setting.
public struct ServerConfiguration: Sendable {
    /// The address to bind; loopback unless the operator asks for more.
    public var host = "127.0.0.1"
    /// 0 lets the system pick a free port (reported when the server starts listening).
    public var port = 8080

    /// The most inputs inferred in one batch.
    public var maxBatchRequests = 32
    /// The most tokens (summed over a batch's inputs, before padding) inferred in one batch.
    public var maxBatchTokens = 16_384
    /// How long the batcher waits for more inputs once one is queued and the batch is not full.
    public var maxWait: Duration = .milliseconds(2)
    /// Inputs waiting for the model beyond which requests are refused with 429.
    public var maxQueuedInputs = 512

    /// Request bodies larger than this are refused with 413 before they are read in full.
    public var maxPayloadBytes = 2 * 1024 * 1024
    /// The most inputs one request may carry (TEI's `max_client_batch_size`).
    public var maxInputsPerRequest = 32
    /// The longest a request may wait for the model; it then gets 503.
    public var requestTimeout: Duration = .seconds(30)

    /// When set, every route but `/health` needs `Authorization: Bearer <key>`.
    public var apiKey: String?
    /// Clean texts as training did (HTML, entities, control characters, whitespace) before tokenising.
    public var cleanTexts = true

    public init() {}

    /// Refuses settings the server cannot work with, naming the option.
    public func validate() throws {
        func require(_ condition: Bool, _ option: String, _ rule: String) throws {
            if !condition { throw MessageError("\(option) \(rule)") }
        }
        try require((0...65_535).contains(port), "--port", "must be between 0 and 65535, got \(port)")
        try require(maxBatchRequests >= 1, "--max-batch-requests", "must be at least 1, got \(maxBatchRequests)")
        try require(maxBatchTokens >= 1, "--max-batch-tokens", "must be at least 1, got \(maxBatchTokens)")
        try require(maxWait >= .zero, "--max-wait-ms", "must not be negative")
        try require(maxQueuedInputs >= 1, "--max-queued-inputs", "must be at least 1, got \(maxQueuedInputs)")
        try require(maxPayloadBytes >= 1, "--max-payload-bytes", "must be at least 1, got \(maxPayloadBytes)")
        try require(maxInputsPerRequest >= 1, "--max-inputs", "must be at least 1, got \(maxInputsPerRequest)")
        try require(requestTimeout > .zero, "--request-timeout", "must be positive")
        try require(maxQueuedInputs >= maxInputsPerRequest, "--max-queued-inputs",
                    "(\(maxQueuedInputs)) must hold at least one full request (--max-inputs \(maxInputsPerRequest))")
        if let apiKey { try require(!apiKey.isEmpty, "--api-key", "must not be empty") }
    }
}
