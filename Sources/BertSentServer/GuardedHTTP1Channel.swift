import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 connection behind the server's guards: a connection beyond the limit is answered
/// 503 and closed, and a client too slow to send a request is cut off (`RequestReadDeadlineHandler`).
struct GuardedHTTP1Channel: HTTPChannelHandler {
    /// An admitted connection's HTTP channel, or none for a refused one.
    struct Value: ServerChildChannelValue {
        let channel: any Channel
        let http: HTTP1Channel.Value?
    }

    let responder: Responder
    let limit: ConnectionLimit
    let idleTimeout: TimeAmount
    let readTimeout: TimeAmount
    let metrics: ServerMetrics

    /// A server builder for `Application`, guarded as `configuration` says.
    static func builder(configuration: ServerConfiguration, metrics: ServerMetrics) -> HTTPServerBuilder {
        let limit = ConnectionLimit(maximum: configuration.maxConnections, metrics: metrics)
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                responder: responder, limit: limit,
                idleTimeout: TimeAmount(configuration.requestTimeout),
                readTimeout: TimeAmount(configuration.requestReadTimeout), metrics: metrics)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // The child channel initializer runs on the channel's event loop, so the pipeline is ours to edit.
        guard limit.admit(channel) else {
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ConnectionFrontHandler(refusing: limit.refusal))
                return Value(channel: channel, http: nil)
            }
        }
        let front = ConnectionFrontHandler()
        let deadlineHandler = NIOLoopBound(
            RequestReadDeadlineHandler(
                timeout: readTimeout, front: front, onExpiry: { [metrics] in metrics.requestReadTimeouts.increment() }),
            eventLoop: channel.eventLoop)
        let http1 = HTTP1Channel(
            responder: responder,
            configuration: .init(additionalChannelHandlers: [deadlineHandler.value], idleTimeout: idleTimeout))
        do {
            try channel.pipeline.syncOperations.addHandler(front)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return http1.setup(channel: channel, logger: logger).map { Value(channel: channel, http: $0) }
    }

    func handle(value: Value, logger: Logger) async {
        // A refused connection's front handler answers and closes it by itself.
        guard let http = value.http else { return }
        await handleHTTP(asyncChannel: http, logger: logger)
    }
}
