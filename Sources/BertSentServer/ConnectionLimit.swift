import HTTPTypes
import NIOCore
import Synchronization

/// Counts a server's open connections across its event loops, so it can refuse those beyond the limit
/// at once instead of leaving them queued behind slow clients.
final class ConnectionLimit: Sendable {
    /// The most connections open at once.
    let maximum: Int
    private let open = Atomic<Int>(0)
    private let metrics: ServerMetrics

    init(maximum: Int, metrics: ServerMetrics) {
        self.maximum = maximum
        self.metrics = metrics
    }

    /// Counts `channel` until it closes and returns true, or returns false when the server is full.
    func admit(_ channel: any Channel) -> Bool {
        // Two connections racing for the last place may both be refused, never both admitted.
        guard open.add(1, ordering: .relaxed).newValue <= maximum else {
            open.subtract(1, ordering: .relaxed)
            metrics.refusedConnections.increment()
            return false
        }
        metrics.openConnections.increment()
        channel.closeFuture.whenComplete { [self] _ in
            open.subtract(1, ordering: .relaxed)
            metrics.openConnections.decrement()
        }
        return true
    }

    /// The answer a refused connection gets before it is closed.
    var refusal: ByteBuffer {
        var error = APIError.tooManyConnections("the server has its maximum of \(maximum) connections open")
        error.headers[.retryAfter] = "1"
        return error.rawResponse()
    }
}
