import DequeModule
import Foundation
import Logging
import NIOCore
import ParleyCore
import ParleyRealtime
import ServiceLifecycle
import Synchronization

/// A `Broker` over Redis pub/sub: every node publishes its deliveries on one channel
/// and hears everyone's. At-most-once across nodes, like Redis pub/sub itself: while
/// Redis is away, other nodes' deliveries are dropped (clients recover by resume) and
/// each node keeps serving.
///
/// A node's own deliveries go to its hub directly, not round Redis: they reach this
/// node's connections whether or not Redis answers. Each published delivery names its
/// node (`origin`), and a node skips its own when Redis echoes them back. (A node of an
/// older version, which sends no `origin`, is heard as another node; it ignores the
/// extra field.)
///
/// Both connections are watched: each sends `PING` every `pingInterval`, and a reply
/// late by `replyTimeout` ends the connection (a half-open socket — Redis gone without a
/// FIN, a stalled proxy — would otherwise keep a dead subscriber forever). Until the
/// subscriber has its `SUBSCRIBE` answered again, `checkReady` fails (`/ready` answers
/// 503).
///
/// Concurrency: `run()` keeps the two connections, each in its own task, reconnecting
/// with backoff; `publish` only queues (bounded) for the publisher; `connected` (a
/// `Mutex`) says which of the two is up.
public final class RedisBroker: Broker, Service {
    /// Deliveries waiting for the publisher: more than a second of a busy node's
    /// deliveries (docs/benchmarks.md), as much as is worth sending late. When Redis is
    /// away the oldest are dropped: pub/sub is at-most-once, and the other nodes'
    /// sequencers read the lost messages from the store.
    static let maxQueuedDeliveries = DeliveryBuffer.defaultCapacity
    static let maxBackoff: Duration = .seconds(5)
    /// PUBLISH commands sent before the publisher waits for the oldest reply.
    static let publishWindow = 128
    /// How often each connection proves Redis still answers. With the default reply
    /// timeout, a dead subscriber is noticed within about 5 s.
    public static let defaultPingInterval: Duration = .seconds(2)
    public static let defaultReplyTimeout: Duration = .seconds(3)

    /// One of the broker's two connections.
    public enum Role: String, Sendable {
        case publisher
        case subscriber
    }

    /// A change in the broker's connections, for metrics.
    public enum Event: Sendable, Equatable {
        /// `role` is connected (for the subscriber: subscribed); `reconnected` when it had
        /// been connected before.
        case up(Role, reconnected: Bool)
        case down(Role)

        /// The connection the event is about.
        public var role: Role {
            switch self {
            case .up(let role, _), .down(let role): role
            }
        }

        public var isUp: Bool {
            if case .up = self { true } else { false }
        }

        /// Whether the connection came back after having been up before.
        public var isReconnection: Bool {
            if case .up(_, let reconnected) = self { reconnected } else { false }
        }
    }

    /// This node's id in the deliveries it publishes.
    public let nodeID: String
    private let url: RedisURL
    private let channel: String
    private let logger: Logger
    private let pingInterval: Duration
    private let replyTimeout: Duration
    private let observe: @Sendable (Event) -> Void
    private let outgoing = DeliveryQueue(capacity: RedisBroker.maxQueuedDeliveries)
    /// This node's own deliveries and the other nodes', for the hub (bounded: what it
    /// drops is a loss like one of Redis's, filled by the sequencer).
    private let incoming: DeliveryBuffer
    private let connected = Mutex<(publisher: Bool, subscriber: Bool)>((false, false))

    public init(
        url: RedisURL, channel: String = "parley:events", nodeID: String = Identifier.make(prefix: "node"), logger: Logger,
        pingInterval: Duration = RedisBroker.defaultPingInterval, replyTimeout: Duration = RedisBroker.defaultReplyTimeout,
        observe: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.url = url
        self.channel = channel
        self.nodeID = nodeID
        self.logger = logger
        self.pingInterval = pingInterval
        self.replyTimeout = replyTimeout
        self.observe = observe
        incoming = DeliveryBuffer(name: "broker to hub", logger: logger)
    }

    public func publish(_ delivery: Delivery) async throws {
        incoming.yield(delivery)
        outgoing.push(delivery)
    }

    public func subscribe() -> AsyncStream<Delivery> { incoming.stream }

    public func checkReady() async throws {
        let state = connected.withLock { $0 }
        guard state.subscriber else { throw ParleyError.unavailable(reason: "not subscribed to Redis at \(url)") }
        guard state.publisher else { throw ParleyError.unavailable(reason: "cannot publish to Redis at \(url)") }
    }

    public func stop() {
        outgoing.finish()
        incoming.finish()
    }

    public func run() async throws {
        observe(.down(.publisher))
        observe(.down(.subscriber))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runPublisher() }
            group.addTask { await self.runSubscriber() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    private func runPublisher() async {
        let encoder = JSONEncoder()
        let nodeID = nodeID
        await reconnecting(.publisher) { connection, isUp in
            try await connection.send(["PING"])
            isUp()
            // Pipelined: up to `publishWindow` PUBLISH commands in flight (one reply wait
            // per delivery would cap a node at one delivery per Redis round trip).
            var inFlight = Deque<Promise<RESPValue>>()
            while let delivery = await self.outgoing.next() {
                guard let data = try? encoder.encode(PublishedDelivery(origin: nodeID, delivery: delivery)) else { continue }
                inFlight.append(try connection.enqueue(["PUBLISH", self.channel, String(decoding: data, as: UTF8.self)]))
                while inFlight.count > Self.publishWindow || inFlight.first?.isResolved == true {
                    _ = try await RedisConnection.reply(inFlight.removeFirst())
                }
            }
        }
    }

    private func runSubscriber() async {
        let decoder = JSONDecoder()
        let incoming = incoming
        let logger = logger
        let nodeID = nodeID
        await reconnecting(.subscriber) { connection, isUp in
            try await connection.subscribe(self.channel) { _, payload in
                do {
                    let published = try decoder.decode(PublishedDelivery.self, from: Data(payload))
                    // This node's own were handed to its hub when published.
                    if published.origin != nodeID { incoming.yield(published.delivery) }
                } catch {
                    logger.warning("dropped an undecodable delivery from Redis", metadata: ["error": "\(error)"])
                }
            }
            isUp()
            try await connection.waitUntilClosed()
        }
    }

    /// Runs `work` on a fresh connection, watched by a `PING` loop, again and again with
    /// backoff until cancelled. `work` calls its second argument once the role is usable.
    private func reconnecting(
        _ role: Role, _ work: @escaping @Sendable (RedisConnection, _ isUp: @Sendable () -> Void) async throws -> Void
    ) async {
        var backoff: Duration = .milliseconds(100)
        var wasUp = false
        // The publisher also stops once `stop()` has ended its queue.
        while !Task.isCancelled, role == .subscriber || !outgoing.isFinished {
            let everUp = wasUp
            do {
                let connection = try await RedisConnection.connect(to: url, replyTimeout: TimeAmount(replyTimeout))
                defer { connection.close() }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await work(connection) { self.mark(role, up: true, reconnected: everUp) }
                    }
                    group.addTask { try await self.keepAlive(connection) }
                    // Whichever ends first (the work, or a failed PING) ends the connection;
                    // closing it also fails any reply the other task still awaits.
                    defer {
                        group.cancelAll()
                        connection.close()
                    }
                    try await group.next()
                }
            } catch {
                if !Task.isCancelled {
                    logger.warning(
                        "Redis \(role.rawValue) connection lost; reconnecting",
                        metadata: ["redis": "\(url)", "error": "\(error)"])
                }
            }
            if isUp(role) {
                wasUp = true
                backoff = .milliseconds(100)
            }
            mark(role, up: false, reconnected: false)
            if Task.isCancelled || (role == .publisher && outgoing.isFinished) { break }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, Self.maxBackoff)
        }
        mark(role, up: false, reconnected: false)
    }

    /// Sends `PING` every `pingInterval`; throws (ending the connection) when one fails
    /// or times out.
    private func keepAlive(_ connection: RedisConnection) async throws {
        while true {
            try await Task.sleep(for: pingInterval)
            try await connection.send(["PING"])
        }
    }

    private func isUp(_ role: Role) -> Bool {
        connected.withLock { role == .publisher ? $0.publisher : $0.subscriber }
    }

    private func mark(_ role: Role, up: Bool, reconnected: Bool) {
        let changed = connected.withLock { state -> Bool in
            switch role {
            case .publisher:
                defer { state.publisher = up }
                return state.publisher != up
            case .subscriber:
                defer { state.subscriber = up }
                return state.subscriber != up
            }
        }
        guard changed else { return }
        if up {
            logger.info("Redis \(role.rawValue) connected", metadata: ["redis": "\(url)"])
            observe(.up(role, reconnected: reconnected))
        } else {
            observe(.down(role))
        }
    }
}

/// A delivery as it travels through Redis: the `Delivery`'s own JSON with one more
/// field, `origin`, the publishing node.
struct PublishedDelivery: Codable {
    var origin: String?
    var delivery: Delivery

    private enum OriginKey: String, CodingKey {
        case origin
    }

    init(origin: String, delivery: Delivery) {
        self.origin = origin
        self.delivery = delivery
    }

    init(from decoder: any Decoder) throws {
        delivery = try Delivery(from: decoder)
        origin = try decoder.container(keyedBy: OriginKey.self).decodeIfPresent(String.self, forKey: .origin)
    }

    func encode(to encoder: any Encoder) throws {
        try delivery.encode(to: encoder)
        var container = encoder.container(keyedBy: OriginKey.self)
        try container.encodeIfPresent(origin, forKey: .origin)
    }
}
