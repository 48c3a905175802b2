import NIOCore
import NIOWebSocket

/// Pings a realtime WebSocket every `interval` and closes it (`1001`, "ping timeout")
/// when nothing at all came from the client between two pings — no pong, no frame —
/// as docs/realtime.md says: "ping every 30 s; a connection that does not answer is
/// closed". It stands in for the WebSocket library's auto-ping, which is a sleeping task
/// per connection (a task, its stack and a timer: about 2.6 KB each); this is an
/// event-loop timer and a flag.
///
/// First in the pipeline, so every byte read counts as an answer.
///
/// Concurrency: a channel handler, confined to its channel's event loop; the timer runs
/// there too.
final class RealtimeLivenessHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The reason of the close frame sent to a client that stopped answering.
    static let timeoutReason = "ping timeout"

    private let interval: TimeAmount
    private var heardSincePing = true
    private var timer: RepeatedTask?

    init(interval: Duration) {
        let (seconds, attoseconds) = interval.components
        self.interval = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            bound.value.handler.tick(context: bound.value.context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        heardSincePing = true
        context.fireChannelRead(data)
    }

    /// The timer holds this handler: let go of it with the channel.
    private func stop() {
        timer?.cancel()
        timer = nil
    }

    private func tick(context: ChannelHandlerContext) {
        let channel = context.channel
        guard heardSincePing else {
            stop()
            var reason = channel.allocator.buffer(capacity: 2 + Self.timeoutReason.utf8.count)
            reason.write(webSocketErrorCode: .goingAway)
            reason.writeString(Self.timeoutReason)
            channel.writeAndFlush(NIOAny(WebSocketFrame(fin: true, opcode: .connectionClose, data: reason)))
                .whenComplete { _ in channel.close(promise: nil) }
            return
        }
        heardSincePing = false
        // From the tail of the pipeline, through the WebSocket frame encoder.
        channel.writeAndFlush(NIOAny(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer())), promise: nil)
    }
}
