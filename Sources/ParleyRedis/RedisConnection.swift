import DequeModule
import Logging
import NIOCore
import NIOPosix
import ParleyCore
import Synchronization

/// One connection to Redis, for as long as a closure runs. Commands are pipelined:
/// each is written at once and its reply matched in order by a reader task. A
/// connection that has subscribed hands published messages to its handler.
///
/// Concurrency: `pending` (a `Mutex`) holds the replies awaited; under the same lock
/// `send` queues its bytes on `outgoing`, which one writer task drains in order — so the
/// wire order and the reply order are the same.
public final class RedisConnection: Sendable {
    public enum ConnectionError: Error, Sendable, Equatable {
        case closed
        case redis(String)
    }

    /// Commands in flight at most per connection (a bound on memory if Redis stalls).
    static let maxPending = 10_000
    /// Time to connect before giving up.
    static let connectTimeout: TimeAmount = .seconds(3)

    private let outgoing: AsyncStream<ByteBuffer>.Continuation
    private let pending = Mutex<(queue: Deque<Promise<RESPValue>>, closed: Bool)>(([], false))
    /// Boxed: a closure kept directly in a `Mutex` is reabstracted on every `withLock`
    /// access and written back wrapped in one more thunk, so each pub/sub message cost
    /// more than the last (a node slowed down the longer it ran).
    private final class MessageHandler: Sendable {
        let handle: @Sendable (_ channel: String, _ payload: [UInt8]) -> Void
        init(_ handle: @escaping @Sendable (_ channel: String, _ payload: [UInt8]) -> Void) { self.handle = handle }
    }

    private let messageHandler = Mutex<MessageHandler?>(nil)

    private init(outgoing: AsyncStream<ByteBuffer>.Continuation) {
        self.outgoing = outgoing
    }

    /// Connects to `url`, runs `body`, then closes. Throws if the connection fails or is
    /// lost while `body` waits on it.
    public static func with<Value: Sendable>(
        _ url: RedisURL, _ body: (RedisConnection) async throws -> Value
    ) async throws -> Value {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectTimeout)
            .connect(host: url.host, port: url.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let (commands, commandsContinuation) = AsyncStream.makeStream(of: ByteBuffer.self)
            let connection = RedisConnection(outgoing: commandsContinuation)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await connection.readReplies(from: inbound) }
                group.addTask {
                    defer { connection.failPending() }
                    for await command in commands { try await outbound.write(command) }
                }
                defer { commandsContinuation.finish() }
                defer { group.cancelAll() }
                return try await body(connection)
            }
        }
    }

    /// Sends a command and returns Redis's reply; a Redis error reply throws.
    @discardableResult
    public func send(_ parts: [String]) async throws -> RESPValue {
        try await Self.reply(try enqueue(parts))
    }

    /// Writes a command and returns at once; its reply comes through the promise (pass
    /// it to `reply(_:)`). Commands go out, and replies come back, in call order.
    public func enqueue(_ parts: [String]) throws -> Promise<RESPValue> {
        let promise = Promise<RESPValue>()
        var buffer = ByteBuffer()
        RESPValue.encodeCommand(parts, into: &buffer)
        let accepted = pending.withLock { state -> Bool in
            guard !state.closed, state.queue.count < Self.maxPending else { return false }
            state.queue.append(promise)
            outgoing.yield(buffer)
            return true
        }
        guard accepted else { throw ConnectionError.closed }
        return promise
    }

    /// The reply to an enqueued command; a Redis error reply throws.
    public static func reply(_ promise: Promise<RESPValue>) async throws -> RESPValue {
        let reply = try await promise.value
        if case .error(let message) = reply { throw ConnectionError.redis(message) }
        return reply
    }

    /// Subscribes to `channel`; `handler` receives every message published on it until
    /// the connection ends. Use a connection only for this once subscribed.
    public func subscribe(_ channel: String, handler: @escaping @Sendable (_ channel: String, _ payload: [UInt8]) -> Void)
        async throws
    {
        let boxed = MessageHandler(handler)
        messageHandler.withLock { $0 = boxed }
        try await send(["SUBSCRIBE", channel])
    }

    /// Waits until the connection ends (for a subscriber).
    public func waitUntilClosed() async throws {
        let promise = Promise<RESPValue>()
        let closed = pending.withLock { state -> Bool in
            if !state.closed { state.queue.append(promise) }
            return state.closed
        }
        if closed { return }
        _ = try? await promise.value
        throw ConnectionError.closed
    }

    private func readReplies(from inbound: NIOAsyncChannelInboundStream<ByteBuffer>) async throws {
        var buffer = ByteBuffer()
        defer { failPending() }
        for try await chunk in inbound {
            var chunk = chunk
            buffer.writeBuffer(&chunk)
            while let value = try RESPValue.parse(from: &buffer) {
                if case .array(let parts?) = value, parts.count == 3, parts[0].string == "message",
                    let channel = parts[1].string, case .bulkString(let payload?) = parts[2],
                    let handler = messageHandler.withLock({ $0 })
                {
                    handler.handle(channel, payload)
                    continue
                }
                let promise = pending.withLock { $0.queue.popFirst() }
                promise?.succeed(value)
            }
            buffer.discardReadBytes()
        }
    }

    private func failPending() {
        let waiting = pending.withLock { state -> Deque<Promise<RESPValue>> in
            state.closed = true
            defer { state.queue = [] }
            return state.queue
        }
        for promise in waiting { promise.fail(ConnectionError.closed) }
    }
}
