import Logging
import NIOCore
import NIOHTTP1

/// Closes a connection that has not sent its first complete request head within a
/// deadline counted from the moment it opened (slowloris: a client that dribbles a
/// request line one byte every few seconds would otherwise hold its socket, and one of
/// the node's file descriptors, for ever; a plain read timeout would not stop it, since
/// every byte counts as activity).
///
/// It sits right behind the HTTP/1 decoder, which passes a `.head` on only once every
/// header has arrived, so bytes trickling in do not move the deadline. It watches the
/// connection's first request only and then leaves the pipeline: from there on,
/// Hummingbird's idle timeout (`HTTP1Channel.Configuration.idleTimeout`, given the same
/// duration) bounds the time from the end of one response to the next complete head,
/// and a connection upgraded to a WebSocket has no HTTP deadline at all (its own pings
/// find dead peers). Hummingbird cannot do this part itself: with the WebSocket upgrade
/// its idle handler joins the pipeline only after the first head.
///
/// Event-loop bound: every method runs on the channel's event loop.
final class RequestHeadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let timeout: TimeAmount
    private let logger: Logger
    private var deadline: Scheduled<Void>?
    private var headReceived = false

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // After the head, whatever passes (body parts, or raw bytes once the upgrade
        // handler has taken the decoder away) is not ours to look at.
        guard !headReceived, case .head = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        headReceived = true
        disarm()
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Shutting down: a connection still waiting for its first head has no request
        // to finish, and nothing else in the pipeline would close it yet.
        if event is ChannelShouldQuiesceEvent, !headReceived {
            hangUp(context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Closes the connection. The handlers behind hear first that no more input comes:
    /// the WebSocket upgrade handler then ends with `inputClosed`, which Hummingbird logs
    /// at trace level, instead of an error line per closed connection (which a slowloris
    /// would turn into a flood of log lines).
    private func hangUp(_ context: ChannelHandlerContext) {
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        context.close(promise: nil)
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil, !headReceived else { return }
        let logger = self.logger
        let timeout = self.timeout
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self, !self.headReceived else { return }
            self.deadline = nil
            logger.debug("closing a connection that sent no complete request head in \(timeout)")
            self.hangUp(context)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension RequestHeadTimeoutHandler: Sendable {}
