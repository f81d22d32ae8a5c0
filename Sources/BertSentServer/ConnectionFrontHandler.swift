import NIOCore

/// First in every connection's pipeline, where the client's bytes are still bytes: it tells the
/// request-read deadline when they arrive, which the handlers after the HTTP decoder cannot see while a
/// request's head trickles in, and it sends the answers that end a connection from outside HTTP's flow
/// (a refusal, a 408), then hangs up.
final class ConnectionFrontHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How long a hung-up connection waits for the client to close before closing it anyway.
    static let linger = TimeAmount.seconds(2)

    /// Called on the event loop with each read from the client.
    var onBytes: () -> Void = {}
    private let refusal: ByteBuffer?
    private var context: ChannelHandlerContext?
    private var hungUp = false

    /// - Parameter refusal: when given, the connection is answered with it and hung up as soon as it opens.
    init(refusing refusal: ByteBuffer? = nil) {
        self.refusal = refusal
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive, let refusal { hangUp(answering: refusal) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        if let refusal { hangUp(answering: refusal) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Once answered, what the client still sends is read (so it cannot fill the buffers) and dropped.
        guard !hungUp else { return }
        onBytes()
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if hungUp, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Sends `response` and stops writing; the connection closes once the client hangs up, or after
    /// `linger`. Closing at once would reset the connection if more of the client's bytes arrived, and
    /// a reset can discard the answer before the client reads it.
    func hangUp(answering response: ByteBuffer) {
        guard let context, !hungUp else { return }
        hungUp = true
        context.writeAndFlush(wrapOutboundOut(response), promise: nil)
        context.close(mode: .output, promise: nil)
        let channel = context.channel
        context.eventLoop.scheduleTask(in: Self.linger) { channel.close(promise: nil) }
    }
}
