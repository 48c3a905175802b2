import DequeModule
import NIOCore
import NIOPosix
import NIOSSL
import ParleyCore
import Synchronization

/// The RESP client on a connection's pipeline: queues each command's promise as its
/// bytes are written, fulfils them in order as replies arrive, routes pub/sub messages to
/// the subscriber, and closes the connection when a reply is overdue.
///
/// Concurrency: all state is touched on the channel's event loop only.
final class RedisReplyHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisCommand
    typealias OutboundOut = ByteBuffer

    private let replyTimeout: TimeAmount
    private let shared: RedisConnection.SharedState
    private var buffer = ByteBuffer()
    private var waiting = Deque<Promise<RESPValue>>()
    /// Set once the connection is over: what later commands fail with.
    private var failure: RedisConnection.ConnectionError?
    /// When Redis last showed signs of life while a reply was awaited.
    private var lastProgress = NIODeadline.now()
    private var timer: Scheduled<Void>?

    init(replyTimeout: TimeAmount, shared: RedisConnection.SharedState) {
        self.replyTimeout = replyTimeout
        self.shared = shared
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = unwrapOutboundIn(data)
        if let failure {
            command.reply.fail(failure)
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        guard waiting.count < RedisConnection.maxPending else {
            command.reply.fail(RedisConnection.ConnectionError.failed("more than \(RedisConnection.maxPending) commands in flight"))
            promise?.succeed()
            return
        }
        if waiting.isEmpty { lastProgress = .now() }
        waiting.append(command.reply)
        context.write(wrapOutboundOut(command.bytes), promise: promise)
        armTimer(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var chunk = unwrapInboundIn(data)
        buffer.writeBuffer(&chunk)
        lastProgress = .now()
        do {
            while let value = try RESPValue.parse(from: &buffer) {
                if case .array(let parts?) = value, parts.count == 3, parts[0].string == "message",
                    let channel = parts[1].string, case .bulkString(let payload?) = parts[2],
                    shared.deliver(channel: channel, payload: payload)
                {
                    continue
                }
                waiting.popFirst()?.succeed(value)
            }
        } catch {
            end(context: context, failure: .failed("unreadable reply from Redis: \(error)"))
            return
        }
        buffer.discardReadBytes()
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(failure ?? .closed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(failure ?? .closed)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end(context: context, failure: .failed(String(describing: error)))
    }

    private func end(context: ChannelHandlerContext, failure: RedisConnection.ConnectionError) {
        if self.failure == nil { self.failure = failure }
        failAll(self.failure!)
        context.close(promise: nil)
    }

    private func failAll(_ error: RedisConnection.ConnectionError) {
        if failure == nil { failure = error }
        shared.markClosed()
        timer?.cancel()
        timer = nil
        let promises = waiting
        waiting = []
        for promise in promises { promise.fail(error) }
    }

    /// One timer at a time, due when the oldest awaited reply is overdue.
    private func armTimer(context: ChannelHandlerContext) {
        guard timer == nil, !waiting.isEmpty, failure == nil else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: lastProgress + replyTimeout) { [self] in
            timer = nil
            guard !waiting.isEmpty, failure == nil else { return }
            if NIODeadline.now() >= lastProgress + replyTimeout {
                end(context: context, failure: .timedOut)
            } else {
                armTimer(context: context)
            }
        }
    }
}
