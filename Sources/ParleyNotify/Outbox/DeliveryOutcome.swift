import ParleyCore

/// What became of one attempt at an outbox item.
enum DeliveryOutcome: Sendable, Equatable {
    /// Delivered, or nothing left to do (given up, target gone): the item is removed.
    case finished
    /// Try again at `at`.
    case retry(at: Timestamp)
}
