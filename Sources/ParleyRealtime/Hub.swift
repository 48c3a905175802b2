import Foundation
import Logging
import ParleyCore
import ServiceLifecycle
import Synchronization

/// One encoded event on its way to one connection.
public struct OutboundFrame: Sendable {
    /// The JSON text frame.
    public var text: String
    /// For `message.new`: the message's commit position (connections drop a message
    /// they already sent, e.g. during a resume).
    public var position: Int64?

    public init(text: String, position: Int64? = nil) {
        self.text = text
        self.position = position
    }
}

/// Something that takes encoded event frames for one connection. Returns `false` when
/// it cannot take more (its bounded queue is full); the hub then calls `overflowed()`
/// and the connection closes (its client resumes later).
public protocol EventSink: Sendable {
    func enqueue(_ frame: OutboundFrame) -> Bool
    func overflowed()
    /// When the connection's credentials expire; the hub calls `expired()` then.
    var expiresAt: Timestamp? { get }
    func expired()
    /// This node could not hand out some live `message.new` in order (the broker lost
    /// them and the store could not supply them in time): the connection must not
    /// go on to later messages, whose cursors would pass the missing ones. It closes so
    /// that its client reconnects and resumes from its last cursor.
    func missedLiveMessages()
}

/// How many realtime connections a node holds: per user and in all.
public struct ConnectionLimits: Sendable {
    /// Connections one user may hold on one node: phones, tabs and desktop apps of one
    /// person with room to spare; a token reused by a script cannot take the node.
    public static let defaultPerUser = 20
    /// Connections one node holds: the machine's 20,000 open files, less room for the
    /// store, Redis, the listening socket and HTTP requests.
    public static let defaultTotal = 18_000

    public var perUser: Int
    public var total: Int

    public init(perUser: Int = ConnectionLimits.defaultPerUser, total: Int = ConnectionLimits.defaultTotal) {
        self.perUser = perUser
        self.total = total
    }
}

/// Why the hub refused a connection.
public enum ConnectionRefusal: Error, Sendable, Equatable {
    /// The user already holds `ConnectionLimits.perUser` connections on this node.
    case tooManyForUser(limit: Int)
    /// The node holds `ConnectionLimits.total` connections.
    case nodeFull(limit: Int)
}

/// The node's realtime hub: which users have connections here, and the fan-out of
/// every delivery from the broker to those connections.
///
/// Concurrency: `registry` (a `Mutex`) maps user ids to their sinks; it and `encoder` are
/// taken under the sequencer's lock and before a connection's (docs/realtime.md, "Locks"). `publish` is
/// synchronous and only appends to an ordered outbox (or, with a broker that queues in
/// memory, straight to the broker's queue), so events published in commit order reach
/// the broker in that order; `run()` drains the outbox into the broker and the broker's
/// deliveries into local connections. The server never fans out around
/// the broker, so every node sees every event.
public final class Hub: Service {
    public struct ConnectionID: Hashable, Sendable {
        let value: UInt64
    }

    /// Keyed by `OpaqueID`: the stores tell users apart by the bytes of their ids, so
    /// the hub must too (NFC and NFD `José` are two users, never one).
    private struct Registry {
        var nextID: UInt64 = 1
        var byUser: [OpaqueID: [UInt64: any EventSink]] = [:]
        /// The connections of `support` users, for deliveries to every one of them.
        var support: [UInt64: any EventSink] = [:]
        var total = 0
    }

    /// How often connections are checked for expired credentials: one sweep for all,
    /// instead of a sleeping task per connection.
    static let expirySweepInterval: Duration = .seconds(1)

    private let broker: any Broker
    private let clock: any WallClock
    private let logger: Logger
    private let registry = Mutex(Registry())
    private let outbox: DeliveryBuffer

    private let sequencer: MessageSequencer
    private let encoder = Mutex(JSONEncoder())
    public let limits: ConnectionLimits
    /// Times the `hub` stage, when on.
    let stageTimings: StageTimings?

    /// With a `log`, `message.new` deliveries from the broker are handed out in commit
    /// order, and any that were lost on the way are read from the store (`MessageSequencer`).
    /// `outboxCapacity` bounds the deliveries waiting for the broker (`DeliveryBuffer`).
    public init(
        broker: any Broker, clock: any WallClock = SystemWallClock(), logger: Logger, log: (any MessageLog)? = nil,
        limits: ConnectionLimits = ConnectionLimits(), sequencerLimits: MessageSequencer.Limits = MessageSequencer.Limits(),
        outboxCapacity: Int = DeliveryBuffer.defaultCapacity, stageTimings: StageTimings? = nil
    ) {
        self.broker = broker
        self.stageTimings = stageTimings
        self.clock = clock
        self.logger = logger
        self.limits = limits
        sequencer = MessageSequencer(log: log, logger: logger, limits: sequencerLimits)
        // Drained as fast as the broker takes deliveries (in memory: the Redis broker
        // only queues them); bounded, and what it drops is filled like a broker's loss.
        outbox = DeliveryBuffer(name: "hub outbox", capacity: outboxCapacity, logger: logger)
    }

    /// Queues a delivery for every node, in call order. Failures to reach the broker, and
    /// deliveries dropped at the outbox's bound, are logged: a lost `message.new` is read
    /// from the store by the sequencers; other events are at-most-once.
    public func publish(_ delivery: Delivery) {
        guard !delivery.recipients.isEmpty || delivery.toEverySupportUser == true else { return }
        var delivery = delivery
        if stageTimings != nil { delivery.publishedAtMicroseconds = StageTimings.wallMicroseconds() }
        // On one node the broker is a queue in memory: straight into it, in call order
        // as through the outbox (every delivery of this node takes the same path).
        if broker.publishInline(delivery) { return }
        outbox.yield(delivery)
    }

    /// Adds a connection of `userID` (whose token grants `role`), unless the user or the
    /// node is at its limit.
    public func register(userID: String, role: Role? = nil, sink: any EventSink) throws(ConnectionRefusal) -> ConnectionID {
        let key = OpaqueID(userID)
        let limits = limits
        let result = registry.withLock { registry -> Result<ConnectionID, ConnectionRefusal> in
            if registry.total >= limits.total { return .failure(.nodeFull(limit: limits.total)) }
            if registry.byUser[key]?.count ?? 0 >= limits.perUser { return .failure(.tooManyForUser(limit: limits.perUser)) }
            let id = registry.nextID
            registry.nextID += 1
            registry.byUser[key, default: [:]][id] = sink
            if role == .support { registry.support[id] = sink }
            registry.total += 1
            return .success(ConnectionID(value: id))
        }
        return try result.get()
    }

    /// Removes a connection; returns how many connections the user still has here.
    @discardableResult
    public func unregister(userID: String, id: ConnectionID) -> Int {
        let key = OpaqueID(userID)
        return registry.withLock { registry in
            if registry.byUser[key]?.removeValue(forKey: id.value) != nil { registry.total -= 1 }
            registry.support[id.value] = nil
            let remaining = registry.byUser[key]?.count ?? 0
            if remaining == 0 { registry.byUser[key] = nil }
            return remaining
        }
    }

    /// Connections registered on this node now.
    public var connectionCount: Int { registry.withLock { $0.total } }

    public func run() async throws {
        let deliveries = broker.subscribe()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await delivery in self.outbox.stream {
                    do {
                        try await self.broker.publish(delivery)
                    } catch {
                        self.logger.warning(
                            "could not publish event", metadata: ["event": "\(delivery.event.typeName)", "error": "\(error)"])
                    }
                }
            }
            group.addTask {
                await self.sequencer.start()
                for await delivery in deliveries {
                    self.sequencer.receive(delivery, handOut: { self.deliver($0) }, missed: { self.missed($0) })
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(25))
                    await self.sequencer.checkGaps(handOut: { self.deliver($0) }, missed: { self.missed($0) })
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.expirySweepInterval)
                    self.closeExpiredConnections()
                }
            }
            try? await gracefulShutdown()
            outbox.finish()
            broker.stop()
            group.cancelAll()
        }
    }

    private func closeExpiredConnections() {
        let now = clock.now()
        let expired = registry.withLock { registry in
            registry.byUser.values.flatMap { $0.values }.filter { sink in sink.expiresAt.map { $0 <= now } ?? false }
        }
        for sink in expired { sink.expired() }
    }

    /// Live messages at `positions` will never be handed out here: every connection open
    /// now is told (and closes), so no client's cursor passes a message it did not get.
    /// Called by the sequencer before it hands out anything after `positions`.
    func missed(_ positions: ClosedRange<Int64>) {
        // Under the sequencer's lock; registry, then each connection's (docs/realtime.md, "Locks").
        let sinks = registry.withLock { registry in registry.byUser.values.flatMap { $0.values } }
        logger.warning(
            "live messages could not be handed out in order; connections close and resume",
            metadata: ["from": "\(positions.lowerBound)", "to": "\(positions.upperBound)", "connections": "\(sinks.count)"])
        for sink in sinks { sink.missedLiveMessages() }
    }

    /// Encodes the event once (once per disclosure, for a `message.new` with restricted
    /// annotations) and hands the same frame to every local connection of every
    /// recipient. Called from the broker loop and the gap filler: the sequencer keeps
    /// `message.new` in order across both.
    func deliver(_ delivery: Delivery) {
        // Under the sequencer's lock; registry, encoder, then each connection's (docs/realtime.md, "Locks").
        let disclosures = delivery.disclosures
        let sinks: [(sink: any EventSink, disclosure: MessageDisclosure)] = registry.withLock { registry in
            var sinks: [(sink: any EventSink, disclosure: MessageDisclosure)] = []
            var taken = Set<UInt64>()
            for userID in Set(delivery.recipients) {
                guard let connections = registry.byUser[OpaqueID(userID)] else { continue }
                let disclosure = disclosures?[userID] ?? .content
                for (id, sink) in connections where taken.insert(id).inserted { sinks.append((sink, disclosure)) }
            }
            if delivery.toEverySupportUser == true {
                for (id, sink) in registry.support where taken.insert(id).inserted { sinks.append((sink, .content)) }
            }
            return sinks
        }
        guard !sinks.isEmpty else { return }
        var frames: [MessageDisclosure: OutboundFrame] = [:]
        for (sink, disclosure) in sinks {
            let level = disclosures == nil ? MessageDisclosure.original : disclosure
            if frames[level] == nil {
                guard let frame = encodedFrame(delivery.event, disclosure: disclosures == nil ? nil : level) else { return }
                frames[level] = frame
            }
            if !sink.enqueue(frames[level]!) { sink.overflowed() }
        }
        if let stageTimings, let published = delivery.publishedAtMicroseconds {
            stageTimings.record(.hub, .microseconds(max(0, StageTimings.wallMicroseconds() - published)))
        }
    }

    /// The event as a frame; a `message.new`'s message as `disclosure` shows it.
    private func encodedFrame(_ event: ServerEvent, disclosure: MessageDisclosure?) -> OutboundFrame? {
        var event = event
        if let disclosure, case .messageNew(let message, let cursor) = event {
            event = .messageNew(message: message.disclosed(disclosure), cursor: cursor)
        }
        // `message.new`, the frame of every message, is written by hand (`FrameJSON`).
        let text =
            FrameJSON.text(of: event)
            ?? (try? encoder.withLock { try $0.encode(event) }).map { String(decoding: $0, as: UTF8.self) }
        guard let text else {
            logger.error("could not encode event", metadata: ["event": "\(event.typeName)"])
            return nil
        }
        var frame = OutboundFrame(text: text)
        if case .messageNew(_, let cursor) = event { frame.position = cursor.position }
        return frame
    }
}
