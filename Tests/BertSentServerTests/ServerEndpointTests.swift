import BertSent
import BertSentServer
import BertSentTestSupport
import Foundation
import Testing

/// `/health`, `/info`, `/metrics`, `/openapi.json`, and the model's life: 503 while loading, a load
/// failure stopping the server.
@Suite("Server: endpoints and lifecycle", .serialized, .tags(.defaultModel))
struct ServerEndpointTests {
    @Test("/health is 503 until the model is loaded, then 200; /predict and /info wait for it too")
    func healthFollowsLoading() async throws {
        let release = DispatchSemaphore(value: 0)
        try await withServer(
            load: {
                release.wait()
                return try Predictor(directory: Fixtures.defaultModel)
            }, waitUntilHealthy: false
        ) { server in
            let loading = try await server.get("/health")
            #expect(loading.status == 503)
            #expect(loading.errorType == "Unhealthy")
            #expect(try await server.post("/predict", json: #"{"inputs": "too early"}"#).status == 503)
            #expect(try await server.get("/info").status == 503)
            #expect(try await server.get("/openapi.json").status == 200)
            release.signal()
            try await server.waitUntilHealthy()
            #expect(try await server.post("/predict", json: #"{"inputs": "now"}"#).status == 200)
        }
    }

    @Test("a model that fails to load stops the server with its error")
    func loadFailure() async throws {
        let server = try await TestServer.start(load: {
            throw TestFailure("/missing/model.safetensors: no weights here")
        })
        await #expect(throws: TestFailure.self) { try await server.finish() }
    }

    @Test("/info reports the model, labels, limits and version")
    func info() async throws {
        try await withServer({
            $0.maxBatchRequests = 16
            $0.maxInputsPerRequest = 8
        }) { server in
            let info = try #require(try await server.get("/info").json() as? [String: Any])
            #expect(info["model_id"] as? String == "test-model")
            #expect(info["labels"] as? [String] == ["LABEL_0", "LABEL_1"])
            #expect(info["head"] as? String == "softmax")
            #expect(info["max_input_length"] as? Int == 512, "the tokenizer's model_max_length")
            #expect(info["max_batch_requests"] as? Int == 16)
            #expect(info["max_client_batch_size"] as? Int == 8)
            #expect(info["version"] as? String == BertSentVersion.current)
            #expect(info["precision"] as? String == "fp32")
            #expect(info["kernel"] as? String == "openblas+\(KernelSet.active.instructionSet.rawValue)")
            #expect(info["instruction_set"] as? String == KernelSet.active.instructionSet.rawValue)
        }
    }

    @Test("/metrics counts requests by route and status, batches, queue time and tokens")
    func metrics() async throws {
        try await withServer { server in
            #expect(try await server.post("/predict", json: #"{"inputs": [["good"], ["bad"]]}"#).status == 200)
            #expect(try await server.post("/predict", json: #"{"inputs": 5}"#).status == 422)
            _ = try await server.get("/nope")
            let reply = try await server.get("/metrics")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type")?.hasPrefix("text/plain") == true)
            let text = reply.text
            #expect(prometheusValue(text, #"bertsent_requests_total{route="/predict",status="200"}"#) == 1, "\(text)")
            #expect(prometheusValue(text, #"bertsent_requests_total{route="/predict",status="422"}"#) == 1)
            #expect(prometheusValue(text, #"bertsent_requests_total{route="NotFound",status="404"}"#) == 1)
            #expect(prometheusValue(text, "bertsent_batch_size_count") == 1)
            #expect(prometheusValue(text, "bertsent_batch_size_sum") == 2)
            #expect(prometheusValue(text, "bertsent_inputs_total") == 2)
            #expect((prometheusValue(text, "bertsent_tokens_total") ?? 0) >= 6)
            #expect(prometheusValue(text, "bertsent_queue_duration_seconds_count") == 1)
            #expect(prometheusValue(text, #"bertsent_request_duration_seconds_count{route="/predict"}"#) == 2)
        }
    }

    @Test("/openapi.json is a valid OpenAPI 3 document describing every route")
    func openAPI() async throws {
        try await withServer { server in
            let document = try #require(try await server.get("/openapi.json").json() as? [String: Any])
            #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
            let paths = try #require(document["paths"] as? [String: Any])
            #expect(Set(paths.keys) == ["/", "/predict", "/health", "/info", "/metrics", "/openapi.json"])
        }
    }
}
