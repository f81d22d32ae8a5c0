import ArgumentParser
import BertSent
import BertSentServer
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model over HTTP with text-embeddings-inference's /predict API and dynamic batching.",
        discussion: """
            Routes: POST /predict, GET /health, GET /info, GET /metrics (Prometheus), GET /openapi.json.
            SIGTERM or SIGINT stop it gracefully: no new connections, requests in flight are answered.
            Example: curl -s localhost:8080/predict -H 'Content-Type: application/json' -d '{"inputs": "A wonderful film."}'
            """)

    @OptionGroup var model: ModelOption
    @OptionGroup var precision: PrecisionOption

    @Option(help: "Address to bind (loopback by default; 0.0.0.0 for every interface).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one and prints it).")
    var port = 8080

    @Option(help: "Most inputs per model batch.")
    var maxBatchRequests = 32

    @Option(help: "Most tokens per model batch, summed before padding.")
    var maxBatchTokens = 16_384

    @Option(name: .customLong("max-wait-ms"), help: "Milliseconds the batcher waits for more inputs when a batch is not full.")
    var maxWaitMilliseconds = 2.0

    @Option(help: "Inputs waiting for the model beyond which requests get 429.")
    var maxQueuedInputs = 512

    @Option(help: "Largest request body in bytes (413 beyond).")
    var maxPayloadBytes = 2 * 1024 * 1024

    @Option(name: .customLong("max-inputs"), help: "Most inputs in one request (422 beyond).")
    var maxInputsPerRequest = 32

    @Option(name: .customLong("request-timeout"), help: "Seconds a request may wait for the model (503 beyond); also the idle connection timeout.")
    var requestTimeoutSeconds = 30.0

    @Option(help: "Require 'Authorization: Bearer <key>' on every route but /health (default: $BERTSENT_API_KEY).")
    var apiKey: String?

    @Option(help: "Tokens per input (default: 256, or the model's limit if smaller); longer inputs need \"truncate\": true.")
    var maxLength: Int?

    @Flag(help: "Keep texts as sent (by default they are cleaned as for training: HTML, entities, control characters, whitespace).")
    var noClean = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (debug logs every request).")
    var logLevel: Logger.Level = .info

    func run() async throws {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.maxBatchRequests = maxBatchRequests
        configuration.maxBatchTokens = maxBatchTokens
        configuration.maxWait = .microseconds(Int64(maxWaitMilliseconds * 1000))
        configuration.maxQueuedInputs = maxQueuedInputs
        configuration.maxPayloadBytes = maxPayloadBytes
        configuration.maxInputsPerRequest = maxInputsPerRequest
        configuration.requestTimeout = .microseconds(Int64(requestTimeoutSeconds * 1_000_000))
        configuration.apiKey = apiKey ?? ProcessInfo.processInfo.environment["BERTSENT_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.cleanTexts = !noClean

        let directory = try model.directory()
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let modelID = model.model ?? directory.lastPathComponent
        let server = try SentimentServer(
            configuration: configuration, modelID: modelID, logger: Logger(label: "bertsent.serve"),
            loadPredictor: { [maxLength, maxBatchRequests, precision = precision.precision] in
                try Predictor(directory: directory, maxLength: maxLength, batchSize: maxBatchRequests, precision: precision)
            })
        try await server.run { [host] port in
            FileHandle.standardOutput.write(Data("bertsent: serving \(modelID) on http://\(host):\(port)\n".utf8))
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
