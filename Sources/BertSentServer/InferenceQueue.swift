import BertSentInference
import BertSentText
import Foundation
import HTTPTypes

/// Dynamic batching: requests queue their tokenised inputs, and one compute thread runs whatever is
/// waiting through the model together, up to the batch limits.
///
/// The model runs on its own thread, not on Swift's cooperative pool, so a batch in progress never
/// starves the tasks that accept connections and tokenise; that thread loads the `Predictor` and is
/// its only user. The queue is bounded: a request that does not fit is refused at once (429) instead
/// of waiting without limit.
// Sendable by hand: every stored var is read and written only under `condition`.
final class InferenceQueue: @unchecked Sendable {
    /// What one request gets back.
    struct Outcome: Sendable {
        /// The head's logits for each of the request's inputs, in order.
        let logits: [[Float]]
        let queueTime: Duration
        let inferenceTime: Duration
        /// Inputs in the batch the request was part of.
        let batchSize: Int
    }

    private struct Entry {
        let encodings: [Encoding]
        let tokens: Int
        let enqueued: ContinuousClock.Instant
        let continuation: CheckedContinuation<Outcome, any Error>
    }

    private let configuration: ServerConfiguration
    private let metrics: ServerMetrics
    private let clock = ContinuousClock()
    // Guards every stored property below.
    private let condition = NSCondition()
    private var entries: [Entry] = []
    private var queuedInputs = 0
    private var queuedTokens = 0
    private var stopping = false
    private var loadedProfile: PredictorProfile?
    private let finished = DispatchSemaphore(value: 0)

    init(configuration: ServerConfiguration, metrics: ServerMetrics) {
        self.configuration = configuration
        self.metrics = metrics
    }

    /// What the loaded model takes and gives, once it is loaded.
    var profile: PredictorProfile? {
        condition.lock()
        defer { condition.unlock() }
        return loadedProfile
    }

    /// Starts the compute thread: it loads the model with `load`, reports the outcome to `loaded`, then
    /// runs batches until the queue stops. Loading reads and converts the weights, a blocking job kept
    /// off the cooperative pool.
    func start(
        loading load: @escaping @Sendable () throws -> Predictor,
        loaded: @escaping @Sendable (Result<PredictorProfile, any Error>) -> Void
    ) {
        let thread = Thread { [self] in
            let predictor: Predictor
            do { predictor = try load() } catch {
                loaded(.failure(error))
                return
            }
            condition.lock()
            loadedProfile = predictor.profile
            condition.unlock()
            loaded(.success(predictor.profile))
            while let batch = nextBatch() { run(batch, on: predictor) }
            finished.signal()
        }
        thread.name = "bertsent-inference"
        thread.start()
    }

    /// Lets the compute thread finish what is queued, refuses new work, and waits for the thread to end.
    func stop() async {
        guard beginStopping() else { return }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [finished] in
                finished.wait()
                done.resume()
            }
        }
    }

    /// Marks the queue as stopping; true when a compute thread is running and must be waited for.
    private func beginStopping() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let running = loadedProfile != nil && !stopping
        stopping = true
        condition.broadcast()
        return running
    }

    /// Queues one request's inputs and waits for their logits.
    /// - Throws: `APIError` 429 when the queue is full, 503 when the server is stopping or the request
    ///   waited longer than the request timeout, 424 when the model fails.
    func submit(_ encodings: [Encoding]) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            if stopping || loadedProfile == nil {
                continuation.resume(
                    throwing: APIError.unhealthy(
                        stopping ? "the server is shutting down" : "the model is still loading"))
                return
            }
            guard queuedInputs + encodings.count <= configuration.maxQueuedInputs else {
                continuation.resume(
                    throwing: APIError.overloaded(
                        "the queue is full (\(queuedInputs) inputs waiting, at most \(configuration.maxQueuedInputs)); retry later"
                    ))
                return
            }
            let tokens = encodings.reduce(0) { $0 + $1.count }
            entries.append(Entry(encodings: encodings, tokens: tokens, enqueued: clock.now, continuation: continuation))
            queuedInputs += encodings.count
            queuedTokens += tokens
            metrics.queueSize.set(Int64(queuedInputs))
            condition.signal()
        }
    }

    /// Blocks until there is work, waits up to `maxWait` for a fuller batch, and takes the oldest entries
    /// that fit the limits (always at least one). Returns nil once stopping and drained.
    private func nextBatch() -> [Entry]? {
        condition.lock()
        defer { condition.unlock() }
        while entries.isEmpty {
            if stopping { return nil }
            condition.wait()
        }
        let waitUntil = Date(timeIntervalSinceNow: configuration.maxWait.seconds)
        while !stopping, queuedInputs < configuration.maxBatchRequests, queuedTokens < configuration.maxBatchTokens,
            condition.wait(until: waitUntil)
        {}
        var batch: [Entry] = []
        var inputs = 0
        var tokens = 0
        while let entry = entries.first {
            if !batch.isEmpty
                && (inputs + entry.encodings.count > configuration.maxBatchRequests
                    || tokens + entry.tokens > configuration.maxBatchTokens)
            {
                break
            }
            entries.removeFirst()
            queuedInputs -= entry.encodings.count
            queuedTokens -= entry.tokens
            if clock.now - entry.enqueued > configuration.requestTimeout {
                entry.continuation.resume(
                    throwing: APIError.unhealthy(
                        "the request waited longer than the request timeout (\(configuration.requestTimeout)) for the model"
                    ))
                continue
            }
            batch.append(entry)
            inputs += entry.encodings.count
            tokens += entry.tokens
        }
        metrics.queueSize.set(Int64(queuedInputs))
        return batch
    }

    private func run(_ batch: [Entry], on predictor: Predictor) {
        guard !batch.isEmpty else { return }
        let start = clock.now
        let encodings = batch.flatMap(\.encodings)
        let logits: [[Float]]
        do {
            logits = try predictor.logits(encodings: encodings)
        } catch {
            for entry in batch {
                entry.continuation.resume(
                    throwing: APIError(
                        HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency"), .backend,
                        "inference failed: \(error)"))
            }
            return
        }
        let inferenceTime = clock.now - start
        let tokens = batch.reduce(0) { $0 + $1.tokens }
        metrics.batchSize.record(Double(encodings.count))
        metrics.batchTokens.record(Double(tokens))
        metrics.inferenceDuration.record(inferenceTime)
        metrics.tokens.increment(by: Int64(tokens))
        metrics.inputs.increment(by: Int64(encodings.count))
        var offset = 0
        for entry in batch {
            let queueTime = start - entry.enqueued
            metrics.queueDuration.record(queueTime)
            let own = Array(logits[offset..<(offset + entry.encodings.count)])
            offset += entry.encodings.count
            entry.continuation.resume(
                returning: Outcome(
                    logits: own, queueTime: queueTime, inferenceTime: inferenceTime, batchSize: encodings.count))
        }
    }
}
