import BertSent
import BertSentServer
import Foundation
import Testing

/// Bad requests get TEI's status and JSON error, and the server goes on serving.
@Suite("Server: bad input", .serialized, .tags(.defaultModel))
struct ServerErrorTests {
    @Test("malformed JSON, wrong types, empty inputs, unsupported options: 422/400 with a JSON error naming the field")
    func badBodies() async throws {
        try await withServer { server in
            let cases: [(body: String, status: Int, type: String, mentions: String)] = [
                (#"{"inputs": "unterminated"#, 422, "Validation", "JSON"),
                (#"not json at all"#, 422, "Validation", "JSON"),
                (#"{"text": "no inputs field"}"#, 422, "Validation", "inputs"),
                (#"{"inputs": 5}"#, 422, "Validation", "inputs"),
                (#"{"inputs": [1, 2]}"#, 422, "Validation", "inputs"),
                (#"{"inputs": null}"#, 422, "Validation", "inputs"),
                (#"{"inputs": [["a"], 7]}"#, 422, "Validation", "inputs"),
                (#"{"inputs": [["a", "b", "c"]]}"#, 422, "Validation", "pair"),
                (#"{"inputs": "fine", "raw_scores": "yes"}"#, 422, "Validation", "raw_scores"),
                (#"{"inputs": "fine", "truncate": 1}"#, 422, "Validation", "truncate"),
                (#"{"inputs": "fine", "truncation_direction": "Left"}"#, 422, "Validation", "truncation_direction"),
                (#"[]"#, 422, "Validation", "body"),
                (#"{"inputs": []}"#, 400, "Empty", "empty"),
                (#"{"inputs": ""}"#, 400, "Empty", "empty"),
                (#"{"inputs": [["fine"], ["   "]]}"#, 400, "Empty", "inputs[1]"),
                (#"{"inputs": ["fine", " "]}"#, 400, "Empty", "empty"),
            ]
            for item in cases {
                let reply = try await server.post("/predict", json: item.body)
                #expect(reply.status == item.status, "\(item.body) → \(reply.status) \(reply.text)")
                #expect(reply.errorType == item.type, "\(item.body) → \(reply.text)")
                #expect(reply.text.contains(item.mentions), "\(item.body) → \(reply.text)")
            }
            #expect(try await server.post("/predict", json: #"{"inputs": "still serving"}"#).status == 200)
            // Only markup: cleaned to nothing, classified as [CLS] [SEP] like a tokenizer would.
            #expect(try await server.post("/predict", json: #"{"inputs": "<br/><br/>"}"#).status == 200)
        }
    }

    @Test("too many inputs: 422; too large a body: 413, whether Content-Length says so or the bytes do")
    func tooLarge() async throws {
        try await withServer({
            $0.maxPayloadBytes = 4_096
            $0.maxInputsPerRequest = 4
        }) { server in
            let five = try await server.post("/predict", json: #"{"inputs": [["a"], ["b"], ["c"], ["d"], ["e"]]}"#)
            #expect(five.status == 422, "\(five.text)")
            #expect(five.errorType == "Validation")
            #expect(five.text.contains("batch size 5"), "\(five.text)")

            let big = try JSONSerialization.data(withJSONObject: [
                "inputs": String(repeating: "long text ", count: 1_000)
            ])
            let declared = try await send("POST", server.url("/predict"), body: big)
            #expect(declared.status == 413, "\(declared.text)")
            #expect(declared.errorType == "Validation")

            // Chunked, so no Content-Length: the limit is found while reading.
            let chunked = try RawHTTP.exchange(port: server.port, request: RawHTTP.chunkedPost("/predict", body: big))
            #expect(chunked.hasPrefix("HTTP/1.1 413"), "\(chunked.prefix(200))")
            #expect(chunked.contains("\"error_type\":\"Validation\""), "\(chunked)")

            #expect(try await server.post("/predict", json: #"{"inputs": [["a"], ["b"], ["c"], ["d"]]}"#).status == 200)
        }
    }

    @Test("unknown routes are 404 and known routes with another method 405 with Allow, both as JSON")
    func routes() async throws {
        try await withServer { server in
            let missing = try await server.get("/nope")
            #expect(missing.status == 404)
            #expect(missing.errorType == "NotFound")
            let wrongMethod = try await server.get("/predict")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.errorType == "MethodNotAllowed")
            #expect(wrongMethod.header("Allow") == "POST")
            let deleteHealth = try await send("DELETE", server.url("/health"))
            #expect(deleteHealth.status == 405)
            #expect(deleteHealth.header("Allow") == "GET")
            #expect(try await server.get("/health").status == 200)
        }
    }

    @Test("a client that disconnects mid-body or sends garbage does not stop the server")
    func brokenClients() async throws {
        try await withServer { server in
            try RawHTTP.sendAndClose(
                port: server.port,
                bytes:
                    "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"inputs\": \"cut"
            )
            try RawHTTP.sendAndClose(port: server.port, bytes: "\u{0}\u{1}GARBAGE\r\n\r\n")
            let garbage = try RawHTTP.exchange(port: server.port, request: "NOT-HTTP\r\n\r\n")
            #expect(!garbage.hasPrefix("HTTP/1.1 2"), "\(garbage)")
            let reply = try await server.post("/predict", json: #"{"inputs": "still here"}"#)
            #expect(reply.status == 200, "\(reply.text)")
        }
    }

    @Test("an API key is required on every route but /health and the page (GET /), and checked")
    func apiKey() async throws {
        try await withServer({ $0.apiKey = "s3cret-key" }) { server in
            #expect(try await server.get("/health").status == 200)
            let none = try await server.post("/predict", json: #"{"inputs": "hi"}"#)
            #expect(none.status == 401)
            #expect(none.errorType == "Unauthorized")
            #expect(none.header("WWW-Authenticate") == "Bearer")
            for wrong in ["Bearer s3cret-kex", "Bearer s3cret-key2", "Bearer ", "s3cret-key", "Basic czNjcmV0LWtleQ=="]
            {
                let reply = try await server.post(
                    "/predict", json: #"{"inputs": "hi"}"#, headers: ["Authorization": wrong])
                #expect(reply.status == 401, "\(wrong)")
            }
            #expect(try await server.get("/metrics").status == 401)
            let right = try await server.post(
                "/predict", json: #"{"inputs": "hi"}"#, headers: ["Authorization": "Bearer s3cret-key"])
            #expect(right.status == 200, "\(right.text)")
            #expect(try await server.get("/info", headers: ["Authorization": "Bearer s3cret-key"]).status == 200)
        }
    }

    @Test("settings that cannot work are refused, naming the option")
    func badConfiguration() throws {
        var configuration = ServerConfiguration()
        configuration.maxQueuedInputs = 8
        #expect { try configuration.validate() } throws: {
            guard case .conflict(setting: "max_queued_inputs", with: "max_inputs", _) = $0 as? SettingsError else {
                return false
            }
            return true
        }
        configuration = ServerConfiguration()
        configuration.port = 70_000
        #expect(throws: SettingsError.outOfRange(setting: "port", value: "70000", requirement: "between 0 and 65535")) {
            try configuration.validate()
        }
        configuration = ServerConfiguration()
        configuration.apiKey = ""
        #expect { try configuration.validate() } throws: {
            guard case .outOfRange(setting: "api_key", _, _) = $0 as? SettingsError else { return false }
            return true
        }
    }
}
