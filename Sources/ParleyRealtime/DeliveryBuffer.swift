import Logging
import Synchronization

/// The bounded stream of deliveries between two stages of the delivery path, in order,
/// for one consumer: the hub's outbox (committed events on their way to the broker) and
/// a broker's deliveries on their way to the hub.
///
/// Both producers are synchronous (a commit's `afterCommit`, a Redis subscriber callback
/// on an event loop) and cannot wait, so at the bound the newest delivery is dropped,
/// counted and logged — never lost silently: a dropped `message.new` leaves a gap in the
/// positions that every node's `MessageSequencer` fills from the store when the next
/// message arrives (or, failing that, closes the node's connections, which resume);
/// other events (`typing`, `read`, presence, `conversation.updated`) are at-most-once,
/// as they are over Redis.
///
/// Concurrency: the `AsyncStream` is thread-safe; `dropped` is an `Atomic`.
public final class DeliveryBuffer: Sendable {
    /// Deliveries waiting between two stages, at most. Each consumer does in-memory work
    /// only (encode once, offer to bounded connection queues, or queue for Redis), so
    /// the buffer is empty in practice; 10,000 is more than a second of a busy node's
    /// deliveries (docs/benchmarks.md: about 8,000 messages/s), and a stage that far
    /// behind is not keeping up — holding more would only delay everything after it and
    /// let memory grow with the backlog.
    public static let defaultCapacity = 10_000
    /// A drop is logged when the count of drops is 1 or a multiple of this: a buffer that
    /// stays full must not flood the log.
    static let logEveryDrops = 1_000

    public let capacity: Int
    /// The stream for the one consumer.
    public let stream: AsyncStream<Delivery>
    private let continuation: AsyncStream<Delivery>.Continuation
    private let name: String
    private let logger: Logger
    private let dropped = Atomic<Int>(0)

    /// `name` says which stage in the log ("hub outbox", "broker to hub", …).
    public init(name: String, capacity: Int = DeliveryBuffer.defaultCapacity, logger: Logger) {
        precondition(capacity > 0)
        self.name = name
        self.capacity = capacity
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: Delivery.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Deliveries dropped at the bound so far.
    public var droppedCount: Int { dropped.load(ordering: .relaxed) }

    /// Queues `delivery` behind the others; `false` if the buffer was full (it is dropped
    /// and counted) or finished.
    @discardableResult
    public func yield(_ delivery: Delivery) -> Bool {
        switch continuation.yield(delivery) {
        case .enqueued:
            return true
        case .dropped:
            let count = dropped.wrappingAdd(1, ordering: .relaxed).newValue
            if count == 1 || count % Self.logEveryDrops == 0 {
                logger.warning(
                    "delivery buffer full: deliveries dropped (lost messages are read from the store; other events are at-most-once)",
                    metadata: ["buffer": "\(name)", "capacity": "\(capacity)", "dropped": "\(count)"])
            }
            return false
        case .terminated:
            return false
        @unknown default:
            return false
        }
    }

    /// Ends the stream: the consumer gets what is queued, then the end.
    public func finish() {
        continuation.finish()
    }
}
