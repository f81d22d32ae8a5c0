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
        let load = self.load
        let started = ContinuousClock.now
        // Loading reads and converts the weights: a blocking job kept off the cooperative pool.
        let predictor = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try load() }) }.start()
        }
        queue.start(predictor)
        logger.info("model loaded", metadata: [
            "seconds": "\((ContinuousClock.now - started).seconds)", "labels": "\(predictor.model.config.classNames)",
            "max_length": "\(predictor.maxLength)", "precision": "\(predictor.precision.rawValue)",
        ])
        try? await gracefulShutdown()
        await queue.stop()
    }
}
