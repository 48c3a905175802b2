import Foundation
import DequeModule
import Logging
import ParleyCore
import ParleyRealtime
import ServiceLifecycle
import Synchronization

/// A `Broker` over Redis pub/sub: every node publishes its deliveries on one channel
/// and hears everyone's. At-most-once, like Redis pub/sub itself: while Redis is away,
/// deliveries are dropped (clients recover by resume) and each node keeps serving.
///
/// Concurrency: `run()` keeps two connections — one to publish, one subscribed — each
/// reconnecting with backoff; `publish` only queues (bounded) for the publisher.
public final class RedisBroker: Broker, Service {
    /// Deliveries waiting for the publisher; when Redis is away the oldest are dropped.
    static let maxQueuedDeliveries = 10_000
    static let maxBackoff: Duration = .seconds(5)
    /// PUBLISH commands sent before the publisher waits for the oldest reply.
    static let publishWindow = 128

    private let url: RedisURL
    private let channel: String
    private let logger: Logger
    private let outgoing: AsyncStream<Delivery>
    private let outgoingContinuation: AsyncStream<Delivery>.Continuation
    private let incoming: AsyncStream<Delivery>
    private let incomingContinuation: AsyncStream<Delivery>.Continuation
    private let connected = Mutex<(publisher: Bool, subscriber: Bool)>((false, false))

    public init(url: RedisURL, channel: String = "parley:events", logger: Logger) {
        self.url = url
        self.channel = channel
        self.logger = logger
        (outgoing, outgoingContinuation) = AsyncStream.makeStream(
            of: Delivery.self, bufferingPolicy: .bufferingNewest(Self.maxQueuedDeliveries))
        (incoming, incomingContinuation) = AsyncStream.makeStream(of: Delivery.self, bufferingPolicy: .unbounded)
    }

    public func publish(_ delivery: Delivery) async throws {
        outgoingContinuation.yield(delivery)
    }

    public func subscribe() -> AsyncStream<Delivery> { incoming }

    public func checkReady() async throws {
        let state = connected.withLock { $0 }
        guard state.publisher, state.subscriber else {
            throw ParleyError.unavailable(reason: "Redis at \(url) is not connected")
        }
    }

    public func stop() {
        outgoingContinuation.finish()
        incomingContinuation.finish()
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runPublisher() }
            group.addTask { await self.runSubscriber() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    private func runPublisher() async {
        var deliveries = outgoing.makeAsyncIterator()
        let encoder = JSONEncoder()
        await reconnecting(role: "publisher", mark: { state, up in state.publisher = up }) { connection in
            // Pipelined: up to `publishWindow` PUBLISH commands in flight (one reply wait
            // per delivery would cap a node at one delivery per Redis round trip).
            var inFlight = Deque<Promise<RESPValue>>()
            while let delivery = await deliveries.next() {
                guard let data = try? encoder.encode(delivery) else { continue }
                inFlight.append(try connection.enqueue(["PUBLISH", self.channel, String(decoding: data, as: UTF8.self)]))
                while inFlight.count > Self.publishWindow || inFlight.first?.isResolved == true {
                    _ = try await RedisConnection.reply(inFlight.removeFirst())
                }
            }
        }
    }

    private func runSubscriber() async {
        let decoder = JSONDecoder()
        let incoming = incomingContinuation
        let logger = logger
        await reconnecting(role: "subscriber", mark: { state, up in state.subscriber = up }) { connection in
            try await connection.subscribe(self.channel) { _, payload in
                do {
                    incoming.yield(try decoder.decode(Delivery.self, from: Data(payload)))
                } catch {
                    logger.warning("dropped an undecodable delivery from Redis", metadata: ["error": "\(error)"])
                }
            }
            try await connection.waitUntilClosed()
        }
    }

    /// Runs `body` on a fresh connection, again and again with backoff, until cancelled.
    private func reconnecting(
        role: String, mark: (inout (publisher: Bool, subscriber: Bool), Bool) -> Void,
        _ body: (RedisConnection) async throws -> Void
    ) async {
        var backoff: Duration = .milliseconds(100)
        while !Task.isCancelled {
            do {
                try await RedisConnection.with(url) { connection in
                    connected.withLock { mark(&$0, true) }
                    logger.info("Redis \(role) connected", metadata: ["redis": "\(url)"])
                    backoff = .milliseconds(100)
                    try await body(connection)
                }
                if Task.isCancelled { break }
            } catch {
                if Task.isCancelled { break }
                logger.warning("Redis \(role) connection lost; reconnecting", metadata: ["redis": "\(url)", "error": "\(error)"])
            }
            connected.withLock { mark(&$0, false) }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, Self.maxBackoff)
        }
        connected.withLock { mark(&$0, false) }
    }
}
