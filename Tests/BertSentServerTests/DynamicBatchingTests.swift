import BertSent
import BertSentServer
import BertSentTestSupport
import Foundation
import Testing

/// Concurrent requests share model batches; a full queue answers 429 instead of growing.
@Suite("Server: dynamic batching", .serialized, .tags(.defaultModel))
struct DynamicBatchingTests {
    @Test("concurrent requests are inferred together, each still getting its own answer")
    func concurrentRequestsShareBatches() async throws {
        try await withServer({ $0.maxWait = .milliseconds(100) }) { server in
            let texts = (0..<12).map {
                "Review number \($0): " + ($0.isMultiple(of: 2) ? "a joy to watch." : "a dreadful bore.")
            }
            let predictor = try Predictor(directory: Fixtures.defaultModel)
            let want = try predictor.predict(texts)
            let replies = try await withThrowingTaskGroup(of: (Int, HTTPReply).self) { group in
                for (index, text) in texts.enumerated() {
                    group.addTask {
                        let body = try JSONSerialization.data(withJSONObject: ["inputs": text])
                        return (index, try await send("POST", server.url("/predict"), body: body))
                    }
                }
                return try await group.reduce(into: [Int: HTTPReply]()) { $0[$1.0] = $1.1 }
            }
            for (index, reply) in replies.sorted(by: { $0.key < $1.key }) {
                #expect(reply.status == 200, "\(reply.text)")
                let top = try #require((try reply.json() as? [[String: Any]])?.first)
                #expect(top["label"] as? String == want[index].label, "request \(index)")
                #expect(abs(Float(top["score"] as? Double ?? 0) - want[index].confidence) < 1e-5, "request \(index)")
            }
            let metrics = try await server.get("/metrics").text
            let batches = try #require(prometheusValue(metrics, "bertsent_batch_size_count"))
            let singles = try #require(prometheusValue(metrics, #"bertsent_batch_size_bucket{le="1.0"}"#))
            #expect(batches < 12, "12 requests ran in \(batches) batches")
            #expect(singles < batches, "every batch held one input")
            #expect(replies.values.contains { Int($0.header("x-batch-size") ?? "") ?? 0 > 1 })
        }
    }

    @Test("a full queue answers 429 at once; the server keeps serving")
    func fullQueueIsRefused() async throws {
        try await withServer({
            $0.maxQueuedInputs = 8
            $0.maxInputsPerRequest = 8
            $0.maxBatchRequests = 8
        }) { server in
            let body = try JSONSerialization.data(withJSONObject: [
                "inputs": (0..<8).map { _ in [longReview] }, "truncate": true,
            ])
            let statuses = try await withThrowingTaskGroup(of: HTTPReply.self) { group in
                for _ in 0..<8 { group.addTask { try await send("POST", server.url("/predict"), body: body) } }
                return try await group.reduce(into: [HTTPReply]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0.status == 200 || $0.status == 429 }, "\(statuses.map(\.status))")
            #expect(statuses.contains { $0.status == 200 })
            let refused = try #require(statuses.first { $0.status == 429 }, "\(statuses.map(\.status))")
            #expect(refused.errorType == "Overloaded")
            #expect(try await server.post("/predict", json: #"{"inputs": "after the rush"}"#).status == 200)
        }
    }

    @Test("a request that waits longer than the request timeout gets 503; the connection and server stay up")
    func requestTimeout() async throws {
        try await withServer({
            $0.requestTimeout = .milliseconds(100)
            $0.maxWait = .milliseconds(400)
        }) { server in
            let late = try await server.post("/predict", json: #"{"inputs": "kept waiting"}"#)
            #expect(late.status == 503, "\(late.text)")
            #expect(late.errorType == "Unhealthy")
            #expect(late.text.contains("timeout"), "\(late.text)")
            #expect(try await server.get("/health").status == 200)
        }
    }
}
