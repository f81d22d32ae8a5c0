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
            Routes: POST /predict (also POST /, as TEI answers it), GET /health, GET /info, GET /metrics (Prometheus),
            GET /openapi.json, and GET / (a page to try the model in a browser; it needs no API key, and asks for one).
            SIGTERM or SIGINT stop it gracefully: no new connections, requests in flight are answered.
            Example: curl -s localhost:8080/predict -H 'Content-Type: application/json' -d '{"inputs": "A wonderful film."}'

            Server settings (--api-key defaults to $BERTSENT_API_KEY):
            """ + CommandLineSettings<ServerConfiguration>.help)

    @OptionGroup var model: ModelOption
    @OptionGroup var precision: PrecisionOption

    @Option(
        help: "Tokens per input (default: 256, or the model's limit if smaller); longer inputs need \"truncate\": true."
    )
    var maxLength: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (debug logs every request).")
    var logLevel: Logger.Level = .info

    /// The server settings (see the discussion), which the table declares.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Server settings.", valueName: "settings"))
    var words: [String] = []

    func run() async throws {
        var defaults = ServerConfiguration()
        defaults.apiKey = ProcessInfo.processInfo.environment["BERTSENT_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let given = try CommandLineSettings(parsing: words, over: defaults)
        guard given.positionals.isEmpty else { throw ValidationError("unexpected arguments \(given.positionals)") }
        let configuration = given.settings
        do { try configuration.validate() } catch let error as SettingsError {
            throw ValidationError(SettingFlags.message(error))
        }

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
            loadPredictor: { [maxLength, precision = precision.precision] in
                try Predictor(
                    directory: directory, maxLength: maxLength, batchSize: configuration.maxBatchRequests,
                    precision: precision)
            })
        try await server.run { port in
            FileHandle.standardOutput.write(
                Data("bertsent: serving \(modelID) on http://\(configuration.host):\(port)\n".utf8))
        }
    }
}

// swift-format-ignore: AvoidRetroactiveConformances
// Log levels are swift-log's and flags ArgumentParser's; the command line is where the two meet.
extension Logger.Level: @retroactive ExpressibleByArgument {}
