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
}

/// The node's realtime hub: which users have connections here, and the fan-out of
/// every delivery from the broker to those connections.
///
/// Concurrency: `registry` (a `Mutex`) maps user ids to their sinks. `publish` is
/// synchronous and only appends to an ordered outbox, so events published in commit
/// order reach the broker in that order; `run()` drains the outbox into the broker and
/// the broker's deliveries into local connections. The server never fans out around
/// the broker, so every node sees every event.
public final class Hub: Service {
    public struct ConnectionID: Hashable, Sendable {
        let value: UInt64
    }

    private struct Registry {
        var nextID: UInt64 = 1
        var byUser: [String: [UInt64: any EventSink]] = [:]
    }

    /// How often connections are checked for expired credentials: one sweep for all,
    /// instead of a sleeping task per connection.
    static let expirySweepInterval: Duration = .seconds(1)

    private let broker: any Broker
    private let clock: any WallClock
    private let logger: Logger
    private let registry = Mutex(Registry())
    private let outbox: AsyncStream<Delivery>
    private let outboxContinuation: AsyncStream<Delivery>.Continuation

    private let sequencer: MessageSequencer
    private let encoder = Mutex(JSONEncoder())

    /// With a `log`, `message.new` deliveries from the broker are handed out in commit
    /// order, and any that were lost on the way are read from the store (`MessageSequencer`).
    public init(broker: any Broker, clock: any WallClock = SystemWallClock(), logger: Logger, log: MessageLog? = nil) {
        self.broker = broker
        self.clock = clock
        self.logger = logger
        sequencer = MessageSequencer(log: log, logger: logger)
        // Unbounded, but drained as fast as the broker takes deliveries; what is in it
        // was already committed and must not be dropped.
        (outbox, outboxContinuation) = AsyncStream.makeStream(of: Delivery.self, bufferingPolicy: .unbounded)
    }

    /// Queues a delivery for every node, in call order. Failures to reach the broker are
    /// logged: events are at-most-once and clients recover by resume.
    public func publish(_ delivery: Delivery) {
        guard !delivery.recipients.isEmpty else { return }
        outboxContinuation.yield(delivery)
    }

    public func register(userID: String, sink: any EventSink) -> ConnectionID {
        registry.withLock { registry in
            let id = registry.nextID
            registry.nextID += 1
            registry.byUser[userID, default: [:]][id] = sink
            return ConnectionID(value: id)
        }
    }

    /// Removes a connection; returns how many connections the user still has here.
    @discardableResult
    public func unregister(userID: String, id: ConnectionID) -> Int {
        registry.withLock { registry in
            registry.byUser[userID]?[id.value] = nil
            let remaining = registry.byUser[userID]?.count ?? 0
            if remaining == 0 { registry.byUser[userID] = nil }
            return remaining
        }
    }

    public func run() async throws {
        let deliveries = broker.subscribe()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await delivery in self.outbox {
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
                    self.sequencer.receive(delivery) { self.deliver($0) }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(25))
                    await self.sequencer.checkGaps { self.deliver($0) }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.expirySweepInterval)
                    self.closeExpiredConnections()
                }
            }
            try? await gracefulShutdown()
            outboxContinuation.finish()
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

    /// Encodes the event once and hands the same frame to every local connection of
    /// every recipient.
    /// Hands `delivery` to the local connections of its recipients. Called from the broker
    /// loop and the gap filler: the sequencer keeps `message.new` in order across both.
    func deliver(_ delivery: Delivery) {
        let sinks: [any EventSink] = registry.withLock { registry in
            var sinks: [any EventSink] = []
            for userID in Set(delivery.recipients) {
                if let connections = registry.byUser[userID] { sinks.append(contentsOf: connections.values) }
            }
            return sinks
        }
        guard !sinks.isEmpty else { return }
        guard let data = try? encoder.withLock({ try $0.encode(delivery.event) }) else {
            logger.error("could not encode event", metadata: ["event": "\(delivery.event.typeName)"])
            return
        }
        var frame = OutboundFrame(text: String(decoding: data, as: UTF8.self))
        if case .messageNew(_, let cursor) = delivery.event { frame.position = ResumeCursor(token: cursor)?.position }
        for sink in sinks where !sink.enqueue(frame) {
            sink.overflowed()
        }
    }
}
