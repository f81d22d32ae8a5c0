import NIOCore
import NIOHTTPTypes

/// Cuts off a client that takes longer than `timeout` to send a request's head and body: it gets 408
/// (unless its response has begun) and the connection closes. The clock starts when the connection
/// opens, for its first request, or at a later request's first byte, and no byte resets it, unlike an
/// idle timeout, so a client sending a byte a second cannot hold a connection.
final class RequestReadDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    private let front: ConnectionFrontHandler
    private let onExpiry: () -> Void
    private var context: ChannelHandlerContext?
    /// Armed while a request is being received.
    private var deadline: Scheduled<Void>?
    /// Whether any of that request has arrived: a connection that sent nothing is closed without a 408.
    private var receivedBytes = false
    /// Whether that request has been answered early (a 413 from its Content-Length), so a 408 would be a
    /// second answer.
    private var answered = false
    /// Whether a response is being written, which a 408 must not interleave with.
    private var responding = false

    /// - Parameters:
    ///   - front: the connection's first handler: it reports the client's bytes and sends the 408.
    ///   - onExpiry: called when a client is cut off (for the metrics).
    init(timeout: TimeAmount, front: ConnectionFrontHandler, onExpiry: @escaping () -> Void) {
        self.timeout = timeout
        self.front = front
        self.onExpiry = onExpiry
        front.onBytes = { [weak self] in self?.startRequest(receivedBytes: true) }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { startRequest(receivedBytes: false) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        front.onBytes = {}
        stopRequest()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        startRequest(receivedBytes: false)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopRequest()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        // A pipelined request may have arrived with the previous one's bytes.
        case .head: startRequest(receivedBytes: true)
        case .body: break
        case .end: stopRequest()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head:
            responding = true
            if deadline != nil { answered = true }
        case .body: break
        case .end: responding = false
        }
        context.write(data, promise: promise)
    }

    /// Arms the deadline unless a request is already being received.
    private func startRequest(receivedBytes: Bool) {
        guard deadline == nil else {
            self.receivedBytes = self.receivedBytes || receivedBytes
            return
        }
        guard let context else { return }
        self.receivedBytes = receivedBytes
        answered = false
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            self?.expire()
        }
    }

    private func stopRequest() {
        deadline?.cancel()
        deadline = nil
    }

    private func expire() {
        deadline = nil
        guard let context else { return }
        onExpiry()
        if receivedBytes, !answered, !responding {
            let seconds = Double(timeout.nanoseconds) / 1e9
            front.hangUp(
                answering: APIError.requestTimeout("the request's head and body did not arrive within \(seconds) s")
                    .rawResponse())
        } else {
            context.close(promise: nil)
        }
    }
}
