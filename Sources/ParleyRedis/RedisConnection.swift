import DequeModule
import NIOCore
import NIOPosix
import NIOSSL
import ParleyCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One connection to Redis (plain TCP or TLS), logged in and ready for commands.
/// Commands are pipelined: each is written at once and its reply matched in order. A
/// connection that has subscribed hands published messages to its handler.
///
/// A connection never hangs: a command whose reply has not started to arrive within
/// `replyTimeout` closes the connection (replies come in order, so every later command
/// on it is lost too) and fails with `ConnectionError.timedOut`. TCP keepalive is on,
/// so even an idle socket to a vanished host is noticed by the kernel.
///
/// Concurrency: the reply queue lives in `RedisReplyHandler`, on the channel's event
/// loop; a command's bytes and its promise travel there together, so the wire order
/// and the reply order are the same whichever task sends. `shared` (a `Mutex` inside)
/// holds what other threads read: whether the connection is closed, and the
/// subscription's message handler.
public final class RedisConnection: Sendable {
    public enum ConnectionError: Error, Sendable, Equatable {
        case closed
        case redis(String)
        /// No reply within the reply timeout: the connection was closed.
        case timedOut
        /// The connection failed (a TLS handshake, a corrupt reply); the reason says why.
        case failed(String)
    }

    /// Commands in flight at most per connection (a bound on memory if Redis stalls).
    static let maxPending = 10_000
    /// Time to connect before giving up.
    static let connectTimeout: TimeAmount = .seconds(3)
    /// Time a command waits for its reply to start before the connection is declared
    /// dead. Redis answers in well under a millisecond; seconds mean it is gone.
    public static let defaultReplyTimeout: TimeAmount = .seconds(5)
    /// TCP keepalive: probe after 15 s of silence, every 5 s, give up after 3 misses —
    /// a dead peer is noticed within ~30 s even with no command outstanding.
    static let keepAliveIdleSeconds = 15
    static let keepAliveIntervalSeconds = 5
    static let keepAliveProbes = 3

    private let channel: any Channel
    private let shared: SharedState

    private init(channel: any Channel, shared: SharedState) {
        self.channel = channel
        self.shared = shared
    }

    deinit {
        channel.close(promise: nil)
    }

    /// Connects to `url`, logs in (`AUTH`) and selects its database. The caller closes it (or drops it: a connection no one holds closes).
    public static func connect(to url: RedisURL, replyTimeout: TimeAmount = defaultReplyTimeout) async throws -> RedisConnection {
        let tlsContext = url.usesTLS ? try makeTLSContext(caFile: url.caFile) : nil
        // SNI carries names only; for an address the certificate is checked against it.
        let serverName = (try? SocketAddress(ipAddress: url.host, port: 0)) == nil ? url.host : nil
        let shared = SharedState()
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
        #if os(Linux)
        bootstrap =
            bootstrap
            .channelOption(.tcpOption(.init(rawValue: CInt(TCP_KEEPIDLE))), value: keepAliveIdleSeconds)
            .channelOption(.tcpOption(.init(rawValue: CInt(TCP_KEEPINTVL))), value: keepAliveIntervalSeconds)
            .channelOption(.tcpOption(.init(rawValue: CInt(TCP_KEEPCNT))), value: keepAliveProbes)
        #endif
        let channel = try await bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tlsContext {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                }
                try channel.pipeline.syncOperations.addHandler(RedisReplyHandler(replyTimeout: replyTimeout, shared: shared))
            }
        }.connect(host: url.host, port: url.port).get()
        let connection = RedisConnection(channel: channel, shared: shared)
        do {
            // A failed TLS handshake fails the first command (with its reason).
            if let password = url.password {
                try await connection.send(url.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
            }
            if url.database != 0 { try await connection.send(["SELECT", String(url.database)]) }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    /// Connects to `url`, runs `body`, then closes. Throws if the connection fails or is
    /// lost while `body` waits on it.
    public static func with<Value: Sendable>(
        _ url: RedisURL, _ body: (RedisConnection) async throws -> Value
    ) async throws -> Value {
        let connection = try await connect(to: url)
        defer { connection.close() }
        return try await body(connection)
    }

    private static func makeTLSContext(caFile: String?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile { configuration.trustRoots = .file(caFile) }
        return try NIOSSLContext(configuration: configuration)
    }

    /// Whether the connection has ended (a closed connection takes no more commands).
    public var isClosed: Bool { shared.isClosed }

    /// Closes the connection; commands waiting for a reply fail with `.closed`.
    public func close() {
        channel.close(promise: nil)
    }

    /// Sends a command and returns Redis's reply; a Redis error reply throws.
    @discardableResult
    public func send(_ parts: [String]) async throws -> RESPValue {
        try await Self.reply(try enqueue(parts))
    }

    /// Writes a command and returns at once; its reply comes through the promise (pass
    /// it to `reply(_:)`). Commands go out, and replies come back, in call order.
    public func enqueue(_ parts: [String]) throws -> Promise<RESPValue> {
        guard !shared.isClosed else { throw ConnectionError.closed }
        let promise = Promise<RESPValue>()
        var buffer = channel.allocator.buffer(capacity: 64)
        RESPValue.encodeCommand(parts, into: &buffer)
        // A write that never reaches the handler (the channel closed meanwhile) must not
        // leave its reply awaited forever.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { _ in promise.fail(ConnectionError.closed) }
        channel.writeAndFlush(RedisCommand(bytes: buffer, reply: promise), promise: written)
        return promise
    }

    /// The reply to an enqueued command; a Redis error reply throws.
    public static func reply(_ promise: Promise<RESPValue>) async throws -> RESPValue {
        let reply = try await promise.value
        if case .error(let message) = reply { throw ConnectionError.redis(message) }
        return reply
    }

    /// Subscribes to `channel`; `handler` receives every message published on it until
    /// the connection ends. Once subscribed, send only `PING` and (UN)SUBSCRIBE on it.
    public func subscribe(
        _ channel: String, handler: @escaping @Sendable (_ channel: String, _ payload: [UInt8]) -> Void
    )
        async throws
    {
        shared.setMessageHandler(handler)
        try await send(["SUBSCRIBE", channel])
    }

    /// Waits until the connection ends, then throws `.closed`. Cancelling the wait
    /// closes the connection.
    public func waitUntilClosed() async throws {
        let channel = channel
        try await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
            try Task.checkCancellation()
        } onCancel: {
            channel.close(promise: nil)
        }
        throw ConnectionError.closed
    }

    /// What the event loop and the callers' threads share about one connection.
    final class SharedState: Sendable {
        /// Boxed: a closure kept directly in a `Mutex` is reabstracted on every `withLock`
        /// access and written back wrapped in one more thunk, so each pub/sub message cost
        /// more than the last (a node slowed down the longer it ran).
        private final class MessageHandler: Sendable {
            let handle: @Sendable (_ channel: String, _ payload: [UInt8]) -> Void
            init(_ handle: @escaping @Sendable (_ channel: String, _ payload: [UInt8]) -> Void) { self.handle = handle }
        }

        private let closed = Mutex(false)
        private let messageHandler = Mutex<MessageHandler?>(nil)

        var isClosed: Bool { closed.withLock { $0 } }

        func markClosed() { closed.withLock { $0 = true } }

        func setMessageHandler(_ handle: @escaping @Sendable (_ channel: String, _ payload: [UInt8]) -> Void) {
            let boxed = MessageHandler(handle)
            messageHandler.withLock { $0 = boxed }
        }

        /// Hands a published message to the subscriber; `false` when there is none.
        func deliver(channel: String, payload: [UInt8]) -> Bool {
            guard let handler = messageHandler.withLock({ $0 }) else { return false }
            handler.handle(channel, payload)
            return true
        }
    }
}
