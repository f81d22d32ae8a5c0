import BertSentInference
import BertSentText
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /predict` and `POST /`: reads and checks the body, tokenises on the request's own task, waits for the
/// batcher, and answers with TEI's scores and timing headers.
struct PredictEndpoint: Sendable {
    let configuration: ServerConfiguration
    let queue: InferenceQueue
    let metrics: ServerMetrics

    init(configuration: ServerConfiguration, queue: InferenceQueue, metrics: ServerMetrics) {
        self.configuration = configuration
        self.queue = queue
        self.metrics = metrics
    }

    /// One class's score; TEI's field names.
    struct LabelScore: Codable, Sendable, Equatable {
        let score: Float
        let label: String
    }

    func respond(to request: Request, context: some RequestContext) async throws -> Response {
        let clock = ContinuousClock()
        let received = clock.now
        guard let profile = queue.profile else { throw APIError.unhealthy("the model is still loading") }
        let predictRequest = try PredictRequest.decode(try await body(of: request))
        let count = predictRequest.sequences.count
        guard count <= configuration.maxInputsPerRequest else {
            // 422 (content), not 413 (bytes): the body is within the size limit, its batch is not.
            throw APIError.validation(
                "batch size \(count) > maximum allowed batch size \(configuration.maxInputsPerRequest)")
        }
        let encodings = try encode(predictRequest, with: profile)
        let tokenized = clock.now
        metrics.tokenizationDuration.record(tokenized - received)
        let outcome = try await queue.submit(encodings)
        let scores = outcome.logits.map { scoresOf($0, classes: profile.classNames, raw: predictRequest.rawScores) }
        let body = predictRequest.isBatch ? try JSONEncoder.api.encode(scores) : try JSONEncoder.api.encode(scores[0])

        var headers: HTTPFields = [:]
        func milliseconds(_ duration: Duration) -> String { String(format: "%.3f", duration.seconds * 1000) }
        headers[HTTPField.Name("x-compute-type")!] = "cpu"
        headers[HTTPField.Name("x-compute-tokens")!] = String(encodings.reduce(0) { $0 + $1.count })
        headers[HTTPField.Name("x-batch-size")!] = String(outcome.batchSize)
        headers[HTTPField.Name("x-total-time")!] = milliseconds(clock.now - received)
        headers[HTTPField.Name("x-tokenization-time")!] = milliseconds(tokenized - received)
        headers[HTTPField.Name("x-queue-time")!] = milliseconds(outcome.queueTime)
        headers[HTTPField.Name("x-inference-time")!] = milliseconds(outcome.inferenceTime)
        return .json(body, headers: headers)
    }

    /// The body, refused with 413 as soon as it is known to be too large: from `Content-Length` before
    /// reading any of it, else once the bytes read pass the limit.
    private func body(of request: Request) async throws -> Data {
        let limit = configuration.maxPayloadBytes
        let tooLarge = APIError.payloadTooLarge("the request body is larger than \(limit) bytes")
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit { throw tooLarge }
        do {
            return Data(buffer: try await request.body.collect(upTo: limit))
        } catch is NIOTooManyBytesError {
            throw tooLarge
        } catch {
            // The client went away or broke the framing mid-body: its problem, not the server's.
            throw APIError(.badRequest, .validation, "the request body could not be read: \(error)")
        }
    }

    /// Prepares (as the model's training data was) and tokenises each sequence; an input too long for the model is
    /// refused unless the request asked to truncate.
    private func encode(_ request: PredictRequest, with profile: PredictorProfile) throws -> [Encoding] {
        let tokenizer = profile.tokenizer
        let maxLength = profile.maxLength
        return try request.sequences.enumerated().map { index, sequence in
            let place = request.isBatch ? "`inputs[\(index)]`" : "`inputs`"
            // Blank as sent is an error; a text that cleaning empties (only markup or control characters)
            // is still classified, as [CLS] [SEP], like a tokenizer that drops those characters would.
            if sequence.text.allSatisfy(\.isWhitespace) || sequence.pair?.allSatisfy(\.isWhitespace) == true {
                throw APIError.empty("\(place) cannot be empty")
            }
            let text = profile.prepare(sequence.text)
            let pair = sequence.pair.map(profile.prepare)
            do {
                let whole = try tokenizer.encode(text, pair: pair, maxLength: maxLength, truncation: .doNotTruncate)
                guard whole.count > maxLength else { return whole }
                guard request.truncate else {
                    throw APIError.validation(
                        "\(place) must have at most \(maxLength) tokens, given \(whole.count); send \"truncate\": true to cut it"
                    )
                }
                return try tokenizer.encode(text, pair: pair, maxLength: maxLength, truncation: .longestFirst)
            } catch let error as APIError {
                throw error
            } catch {
                throw APIError(.unprocessableContent, .tokenizer, "\(place) could not be tokenised: \(error)")
            }
        }
    }

    /// Every class with its probability, best first; with `raw`, the head's logits instead (a 1-logit
    /// sigmoid head has one, reported under the positive class).
    private func scoresOf(_ logits: [Float], classes: [String], raw: Bool) -> [LabelScore] {
        let scores =
            if raw {
                logits.count == 1
                    ? [LabelScore(score: logits[0], label: classes[1])]
                    : zip(classes, logits).map { LabelScore(score: $1, label: $0) }
            } else {
                zip(classes, Prediction.probabilities(logits: logits)).map { LabelScore(score: $1, label: $0) }
            }
        return scores.sorted { $0.score > $1.score }
    }
}
