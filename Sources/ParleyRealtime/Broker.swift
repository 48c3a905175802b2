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
}

/// The broker of a single node: a delivery goes straight to the local hub, through a
/// bounded `DeliveryBuffer` the hub drains continuously with in-memory work only (each
/// connection's own queue is bounded too).
public final class InProcessBroker: Broker {
    private let buffer: DeliveryBuffer

    public init(logger: Logger = Logger(label: "parley.broker")) {
        buffer = DeliveryBuffer(name: "broker to hub", logger: logger)
    }

    public func publish(_ delivery: Delivery) async throws {
        buffer.yield(delivery)
    }

    public func subscribe() -> AsyncStream<Delivery> { buffer.stream }

    public func checkReady() async throws {}

    public func stop() { buffer.finish() }
}
