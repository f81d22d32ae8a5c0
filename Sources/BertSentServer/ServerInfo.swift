import BertSentCore
import BertSentInference

/// `GET /info`: the model and the limits clients must respect (TEI's field names where TEI has them).
struct ServerInfo: Codable, Sendable, Equatable {
    var modelID: String
    var modelType = "classifier"
    /// "softmax" (one logit per class) or "sigmoid" (one logit).
    var head: String
    var labels: [String]
    var maxInputLength: Int
    var maxBatchTokens: Int
    var maxBatchRequests: Int
    var maxClientBatchSize: Int
    var maxConcurrentRequests: Int
    var maxWaitMilliseconds: Double
    var maxPayloadBytes: Int
    var requestTimeoutSeconds: Double
    var cleansTexts: Bool
    /// The encoder's linear layers' arithmetic: "fp32", or "bf16" (`Precision`).
    var precision: Precision
    /// The kernel that runs the linear layers in that precision, e.g. "avx512-vnni" (`KernelSet`).
    var kernel: String
    /// The instruction-set level of the kernels (BERTSENT_ISA caps it).
    var instructionSet: InstructionSet
    var version = BertSentVersion.current

    enum CodingKeys: String, CodingKey {
        case modelID = "model_id"
        case modelType = "model_type"
        case head, labels
        case maxInputLength = "max_input_length"
        case maxBatchTokens = "max_batch_tokens"
        case maxBatchRequests = "max_batch_requests"
        case maxClientBatchSize = "max_client_batch_size"
        case maxConcurrentRequests = "max_concurrent_requests"
        case maxWaitMilliseconds = "max_wait_ms"
        case maxPayloadBytes = "max_payload_bytes"
        case requestTimeoutSeconds = "request_timeout_seconds"
        case cleansTexts = "cleans_texts"
        case precision, kernel
        case instructionSet = "instruction_set"
        case version
    }

    init(modelID: String, profile: PredictorProfile, configuration: ServerConfiguration) {
        self.modelID = modelID
        head = profile.config.head.rawValue
        labels = profile.classNames
        maxInputLength = profile.maxLength
        maxBatchTokens = configuration.maxBatchTokens
        maxBatchRequests = configuration.maxBatchRequests
        maxClientBatchSize = configuration.maxInputsPerRequest
        maxConcurrentRequests = configuration.maxQueuedInputs
        maxWaitMilliseconds = configuration.maxWait.seconds * 1000
        maxPayloadBytes = configuration.maxPayloadBytes
        requestTimeoutSeconds = configuration.requestTimeout.seconds
        cleansTexts = profile.tokenizer.options.cleansText
        precision = profile.precision
        kernel = profile.kernels.kernel(for: profile.precision)
        instructionSet = profile.kernels.instructionSet
    }
}
