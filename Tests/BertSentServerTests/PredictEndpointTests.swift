import BertSent
import BertSentServer
import BertSentTestSupport
import Foundation
import Testing

/// `POST /predict` against the real server over HTTP, checked against `Predictor` called directly.
@Suite("Server: /predict", .serialized, .tags(.defaultModel))
struct PredictEndpointTests {
    let expected = try! Predictor(directory: Fixtures.defaultModel)

    func scores(_ value: Any) throws -> [(label: String, score: Float)] {
        let list = try #require(value as? [[String: Any]])
        return try list.map { (try #require($0["label"] as? String), Float(try #require($0["score"] as? Double))) }
    }

    @Test("a text: every class's probability, best first, as Predictor gives")
    func singleText() async throws {
        try await withServer { server in
            let text = "A <b>wonderful</b>, moving film with a superb cast."
            let reply = try await server.post(
                "/predict", json: #"{"inputs": "A <b>wonderful</b>, moving film with a superb cast."}"#)
            #expect(reply.status == 200, "\(reply.text)")
            let got = try scores(try reply.json())
            let want = try expected.predict([text])[0]
            #expect(got.map(\.label).sorted() == want.classes.sorted())
            #expect(got[0].score >= got[1].score)
            #expect(got[0].label == want.label)
            for (label, score) in got {
                let index = try #require(want.classes.firstIndex(of: label))
                #expect(abs(score - want.probabilities[index]) < 1e-5, "\(label)")
            }
            for header in [
                "x-total-time", "x-tokenization-time", "x-queue-time", "x-inference-time", "x-batch-size",
                "x-compute-tokens",
            ] {
                #expect(reply.header(header) != nil, "missing \(header)")
            }
        }
    }

    @Test("a batch of lists, a batch mixing strings and pairs, and a flat pair")
    func batchesAndPairs() async throws {
        try await withServer { server in
            let batch = try await server.post(
                "/predict",
                json: #"{"inputs": [["Terrible, boring and far too long."], ["An absolute delight."], "Not bad."]}"#)
            #expect(batch.status == 200, "\(batch.text)")
            let lists = try #require(try batch.json() as? [Any])
            #expect(lists.count == 3)
            let texts = ["Terrible, boring and far too long.", "An absolute delight.", "Not bad."]
            let want = try expected.predict(texts)
            for (list, prediction) in zip(lists, want) {
                let got = try scores(list)
                #expect(got[0].label == prediction.label)
                #expect(abs(got[0].score - prediction.confidence) < 1e-5)
            }

            // A flat list is a batch, unless it holds exactly two texts: then it is a pair.
            let flat = try await server.post(
                "/predict",
                json: #"{"inputs": ["Terrible, boring and far too long.", "An absolute delight.", "Not bad."]}"#)
            #expect(flat.status == 200, "\(flat.text)")
            #expect((try flat.json() as? [Any])?.count == 3)
            let one = try await server.post("/predict", json: #"{"inputs": ["Not bad."]}"#)
            #expect((try one.json() as? [[Any]])?.count == 1, "\(one.text)")

            let pair = try await server.post(
                "/predict", json: #"{"inputs": ["The plot was thin.", "The acting made up for it."]}"#)
            #expect(pair.status == 200, "\(pair.text)")
            let pairScores = try scores(try pair.json())
            let encoding = try expected.tokenizer.encode(
                "The plot was thin.", pair: "The acting made up for it.", maxLength: expected.maxLength)
            let pairWant = Prediction(
                logits: try expected.logits(encodings: [encoding])[0], classes: expected.model.config.classNames)
            #expect(pairScores[0].label == pairWant.label)
            #expect(abs(pairScores[0].score - pairWant.confidence) < 1e-5)
        }
    }

    @Test("raw_scores gives the head's logits")
    func rawScores() async throws {
        try await withServer { server in
            let reply = try await server.post("/predict", json: #"{"inputs": "Dull.", "raw_scores": true}"#)
            #expect(reply.status == 200, "\(reply.text)")
            let got = try scores(try reply.json())
            let logits = try expected.logits(encodings: [
                expected.tokenizer.encode("Dull.", maxLength: expected.maxLength)
            ])[0]
            let classes = expected.model.config.classNames
            for (label, score) in got {
                #expect(abs(score - logits[try #require(classes.firstIndex(of: label))]) < 1e-4, "\(label)")
            }
        }
    }

    @Test("a text over the model's length is refused unless truncate is set, then cut as predict cuts it")
    func truncation() async throws {
        try await withServer { server in
            let body = try JSONSerialization.data(withJSONObject: ["inputs": longReview])
            let refused = try await send("POST", server.url("/predict"), body: body)
            #expect(refused.status == 422)
            #expect(refused.errorType == "Validation")
            #expect(refused.text.contains("512"), "\(refused.text)")

            let truncated = try await send(
                "POST", server.url("/predict"),
                body: try JSONSerialization.data(withJSONObject: ["inputs": longReview, "truncate": true]))
            #expect(truncated.status == 200, "\(truncated.text)")
            let got = try scores(try truncated.json())
            let want = try expected.predict([longReview])[0]
            #expect(got[0].label == want.label)
            #expect(abs(got[0].score - want.confidence) < 1e-5)
        }
    }
}
