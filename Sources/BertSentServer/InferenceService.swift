import BertSentInference
import Foundation
import Logging
import ServiceLifecycle

/// The model's life in the service group: load it (the server already answers `/health` with 503
/// meanwhile), run the batcher, and on graceful shutdown let it finish what is queued.
///
/// It is listed before the HTTP server, so the group shuts the server down first: in-flight requests
/// still find the batcher running.
struct InferenceService: Service {
    let queue: InferenceQueue
    let load: @Sendable () throws -> Predictor
    let logger: Logger

    func run() async throws {
        let started = ContinuousClock.now
        let profile = try await withCheckedThrowingContinuation { continuation in
            queue.start(loading: load) { continuation.resume(with: $0) }
        }
        logger.info(
            "model loaded",
            metadata: [
                "seconds": "\((ContinuousClock.now - started).seconds)", "labels": "\(profile.classNames)",
                "max_length": "\(profile.maxLength)", "precision": "\(profile.precision.rawValue)",
                "cleans_texts": "\(profile.tokenizer.options.cleansText)",
            ])
        try? await gracefulShutdown()
        await queue.stop()
    }
}
