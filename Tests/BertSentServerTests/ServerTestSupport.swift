import BertSent
import BertSentServer
import BertSentTestSupport
import Foundation
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP answer as a client sees it.
struct HTTPReply {
    var status: Int
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    func json() throws -> Any { try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    /// The `error_type` of a JSON error body, nil when the body is not one.
    var errorType: String? { (try? json() as? [String: Any])?["error_type"] as? String }
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// Sends one request with URLSession (a real HTTP client, over loopback).
func send(_ method: String, _ url: URL, body: Data? = nil, headers: [String: String] = [:]) async throws -> HTTPReply {
    var request = URLRequest(url: url, timeoutInterval: 60)
    request.httpMethod = method
    request.httpBody = body
    if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    let (data, response) = try await session.data(for: request)
    let http = response as! HTTPURLResponse
    let fields = http.allHeaderFields.reduce(into: [String: String]()) { $0["\($1.key)"] = "\($1.value)" }
    return HTTPReply(status: http.statusCode, headers: fields, body: data)
}

/// A `SentimentServer` run in this process on a free loopback port, for one test.
final class TestServer: Sendable {
    let server: SentimentServer
    let port: Int
    private let task: Task<Void, any Error>

    /// Starts a server and waits until it listens; `load` defaults to the default model.
    static func start(
        _ configure: (inout ServerConfiguration) -> Void = { _ in },
        load: (@Sendable () throws -> Predictor)? = nil
    ) async throws -> TestServer {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configure(&configuration)
        var logger = Logger(label: "bertsent.test-server")
        // Stopping by cancellation makes Hummingbird log errors that mean nothing here.
        logger.logLevel = .critical
        // Each server gets its own predictor: a predictor serves one thread at a time.
        let loader = load ?? { @Sendable in try Predictor(directory: Fixtures.defaultModel) }
        let server = try SentimentServer(
            configuration: configuration, modelID: "test-model", logger: logger, loadPredictor: loader)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            defer { continuation.finish() }
            try await server.run(gracefulShutdownSignals: []) { port in continuation.yield(port) }
        }
        guard let port = await ports.first(where: { _ in true }) else {
            _ = try await task.value
            throw TestFailure("the test server stopped before listening")
        }
        return TestServer(server: server, port: port, task: task)
    }

    private init(server: SentimentServer, port: Int, task: Task<Void, any Error>) {
        self.server = server
        self.port = port
        self.task = task
    }

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPReply {
        try await send("GET", url(path), headers: headers)
    }

    func post(_ path: String, json: String, headers: [String: String] = [:]) async throws -> HTTPReply {
        try await send("POST", url(path), body: Data(json.utf8), headers: headers)
    }

    /// Polls `/health` until it answers 200 (the model loads after the server starts listening).
    func waitUntilHealthy() async throws {
        try await BertSentServerTests.waitUntilHealthy(url("/"))
    }

    /// Waits for the server to stop by itself, rethrowing the error it stopped with.
    func finish() async throws {
        try await task.value
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// Polls `base`/health until it answers 200: the model loads after the server starts listening (or, for a
/// process, before it does). The generous deadline is for instrumented builds (ThreadSanitizer), whose
/// model loading and first inference take many times longer.
func waitUntilHealthy(_ base: URL, timeout: Duration = .seconds(180)) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if (try? await send("GET", base.appendingPathComponent("health")))?.status == 200 { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestFailure("the server at \(base) did not become healthy within \(timeout)")
}

/// Runs `body` against a fresh server (healthy first, unless told not to wait) and always stops it.
func withServer(
    _ configure: (inout ServerConfiguration) -> Void = { _ in }, load: (@Sendable () throws -> Predictor)? = nil,
    waitUntilHealthy: Bool = true, _ body: (TestServer) async throws -> Void
) async throws {
    let server = try await TestServer.start(configure, load: load)
    do {
        if waitUntilHealthy { try await server.waitUntilHealthy() }
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

/// The value of a Prometheus sample line `name{labels} value`, nil when absent.
func prometheusValue(_ exposition: String, _ sample: String) -> Double? {
    for line in exposition.split(separator: "\n") where line.hasPrefix(sample + " ") {
        return Double(line.dropFirst(sample.count + 1))
    }
    return nil
}

/// A review long enough to pass 256 tokens.
let longReview = String(
    repeating: "The pacing drags, yet the performances are quietly remarkable and moving. ", count: 60)
