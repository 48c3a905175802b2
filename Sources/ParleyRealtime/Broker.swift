import ParleyCore
import Synchronization

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

/// The broker of a single node: a delivery goes straight to the local hub. The buffer
/// is unbounded but the hub drains it continuously with in-memory work only (each
/// connection's own queue is bounded).
public final class InProcessBroker: Broker {
    private let stream: AsyncStream<Delivery>
    private let continuation: AsyncStream<Delivery>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Delivery.self, bufferingPolicy: .unbounded)
    }

    public func publish(_ delivery: Delivery) async throws {
        continuation.yield(delivery)
    }

    public func subscribe() -> AsyncStream<Delivery> { stream }

    public func checkReady() async throws {}

    public func stop() { continuation.finish() }
}
