import Logging
import ParleyCore

/// Carries deliveries to the hub of every node. At-most-once: the store is the truth
/// and clients recover anything missed by resuming.
public protocol Broker: Sendable {
    /// Sends `delivery` to every node, this one included.
    func publish(_ delivery: Delivery) async throws
    /// The deliveries published on any node, for this node's hub. Called once.
    func subscribe() -> AsyncStream<Delivery>
    /// Throws when the broker cannot answer (for `/ready`).
    func checkReady() async throws
    /// Ends the subscription stream (at shutdown).
    func stop()
    /// Takes `delivery` at once, in the caller's thread, when this broker can (it only
    /// queues in memory): the hub then skips its outbox and the task that drains it, one
    /// hand-off less per event. False when the hub must go through `publish`.
    func publishInline(_ delivery: Delivery) -> Bool
}

extension Broker {
    public func publishInline(_ delivery: Delivery) -> Bool { false }
}

/// The broker of a single node: a delivery goes straight to the local hub, through a
/// bounded `DeliveryBuffer` the hub drains continuously with in-memory work only (each
/// connection's own queue is bounded too).
public final class InProcessBroker: Broker {
    private let buffer: DeliveryBuffer

    /// `capacity` bounds the deliveries waiting for the hub (`DeliveryBuffer`).
    public init(logger: Logger = Logger(label: "parley.broker"), capacity: Int = DeliveryBuffer.defaultCapacity) {
        buffer = DeliveryBuffer(name: "broker to hub", capacity: capacity, logger: logger)
    }

    public func publish(_ delivery: Delivery) async throws {
        buffer.yield(delivery)
    }

    public func publishInline(_ delivery: Delivery) -> Bool {
        // A delivery the buffer drops at its bound is counted and logged there, and a
        // lost `message.new` is read from the store by the sequencer, as with `publish`.
        buffer.yield(delivery)
        return true
    }

    public func subscribe() -> AsyncStream<Delivery> { buffer.stream }

    public func checkReady() async throws {}

    public func stop() { buffer.finish() }
}
