import BertSentInference
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// The HTTP service behind `bertsent serve`: TEI's `/predict` (also at `POST /`, as TEI answers it) with
/// dynamic batching, plus `/health`, `/info`, `/metrics`, `/openapi.json`, and a page to try it at `GET /`.
public struct SentimentServer: Sendable {
    /// How it listens, batches and limits requests.
    public let configuration: ServerConfiguration
    /// Reported by `/info`: the model folder or repo id the operator named.
    public let modelID: String
    /// Its Prometheus metrics, served by `/metrics`.
    public let metrics = ServerMetrics()
    private let logger: Logger
    private let load: @Sendable () throws -> Predictor

    /// - Parameter loadPredictor: loads the model; it runs after the server starts listening, so
    ///   `/health` answers 503 until it returns. A failure stops the server with that error.
    public init(
        configuration: ServerConfiguration, modelID: String, logger: Logger,
        loadPredictor: @escaping @Sendable () throws -> Predictor
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.modelID = modelID
        self.logger = logger
        self.load = loadPredictor
    }

    /// The routes and the methods each answers (the error middleware tells 405 from 404 with it).
    static let routes: [String: [HTTPRequest.Method]] = [
        "/": [.get, .post], "/predict": [.post], "/health": [.get], "/info": [.get], "/metrics": [.get],
        "/openapi.json": [.get],
    ]

    /// Serves until one of `gracefulShutdownSignals` arrives (or the task is cancelled); then stops
    /// accepting connections, answers the requests in flight, and returns.
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    public func run(
        gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let queue = InferenceQueue(configuration: configuration, metrics: metrics)
        let application = Application(
            router: makeRouter(queue: queue),
            server: GuardedHTTP1Channel.builder(configuration: configuration, metrics: metrics),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "bertsent"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: InferenceService(queue: queue, load: load, logger: logger)),
                    .init(service: application),
                ],
                gracefulShutdownSignals: gracefulShutdownSignals,
                logger: logger
            ))
        try await group.run()
        logger.info("stopped")
    }

    private func makeRouter(queue: InferenceQueue) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorResponseMiddleware(routes: Self.routes))
        if let key = configuration.apiKey { router.add(middleware: APIKeyMiddleware(key: key)) }

        let predict = PredictEndpoint(configuration: configuration, queue: queue, metrics: metrics)
        // TEI answers a classifier's /predict at its base URL too, where huggingface_hub's InferenceClient posts.
        for path: RouterPath in ["/predict", "/"] {
            router.post(path) { request, context in try await predict.respond(to: request, context: context) }
        }
        let page = DemoPage.html(requiresAPIKey: configuration.apiKey != nil)
        router.get("/") { _, _ -> Response in DemoPage.response(page) }
        router.get("/health") { _, _ -> Response in
            guard queue.profile != nil else { throw APIError.unhealthy("the model is still loading") }
            return .json(#"{"status":"ok"}"#.utf8)
        }
        router.get("/info") { [configuration, modelID] _, _ -> Response in
            guard let profile = queue.profile else { throw APIError.unhealthy("the model is still loading") }
            let info = ServerInfo(modelID: modelID, profile: profile, configuration: configuration)
            return .json(try JSONEncoder.api.encode(info))
        }
        router.get("/metrics") { [metrics] _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        let openAPI = OpenAPIDocument.json(configuration)
        router.get("/openapi.json") { _, _ -> Response in .json(openAPI.utf8) }
        return router
    }
}
