import Foundation
import Logging
import ParleyCore
import ServiceLifecycle
import Synchronization

/// Something that takes encoded event frames for one connection. Returns `false` when
/// it cannot take more (its bounded queue is full); the hub then drops the connection.
public protocol EventSink: Sendable {
    func enqueue(_ frame: String) -> Bool
    /// Closes the connection because it fell too far behind.
    func overflowed()
}

/// The node's realtime hub: which users have connections here, and the fan-out of
/// every delivery from the broker to those connections.
///
/// Concurrency: `connections` (a `Mutex`) maps user ids to their sinks; `run()` is the
/// only consumer of the broker's deliveries. Publishing always goes through the broker,
/// never around it, so every node sees every event.
public final class Hub: Service {
    public struct ConnectionID: Hashable, Sendable {
        let value: UInt64
    }

    private struct Registry {
        var nextID: UInt64 = 1
        var byUser: [String: [UInt64: any EventSink]] = [:]
    }

    private let broker: any Broker
    private let logger: Logger
    private let registry = Mutex(Registry())

    public init(broker: any Broker, logger: Logger) {
        self.broker = broker
        self.logger = logger
    }

    /// Publishes a delivery to every node. Failures are logged: events are at-most-once
    /// and clients recover by resume.
    public func publish(_ delivery: Delivery) async {
        guard !delivery.recipients.isEmpty else { return }
        do {
            try await broker.publish(delivery)
        } catch {
            logger.warning("could not publish event", metadata: ["event": "\(delivery.event.typeName)", "error": "\(error)"])
        }
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

    /// Number of connections on this node.
    public var connectionCount: Int {
        registry.withLock { $0.byUser.values.reduce(0) { $0 + $1.count } }
    }

    /// Whether `userID` has a connection on this node.
    public func isConnectedHere(_ userID: String) -> Bool {
        registry.withLock { $0.byUser[userID] != nil }
    }

    public func run() async throws {
        let encoder = JSONEncoder()
        for await delivery in broker.subscribe().cancelOnGracefulShutdown() {
            deliver(delivery, encoder: encoder)
        }
    }

    /// Encodes the event once and hands the same frame to every local connection of
    /// every recipient.
    func deliver(_ delivery: Delivery, encoder: JSONEncoder) {
        let sinks: [any EventSink] = registry.withLock { registry in
            var sinks: [any EventSink] = []
            for userID in Set(delivery.recipients) {
                if let connections = registry.byUser[userID] { sinks.append(contentsOf: connections.values) }
            }
            return sinks
        }
        guard !sinks.isEmpty else { return }
        guard let data = try? encoder.encode(delivery.event) else {
            logger.error("could not encode event", metadata: ["event": "\(delivery.event.typeName)"])
            return
        }
        let frame = String(decoding: data, as: UTF8.self)
        for sink in sinks where !sink.enqueue(frame) {
            sink.overflowed()
        }
    }
}
