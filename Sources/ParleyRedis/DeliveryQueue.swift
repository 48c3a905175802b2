import DequeModule
import ParleyRealtime
import Synchronization

/// The deliveries waiting for a broker's publisher: bounded (when full, the oldest is
/// dropped — Redis pub/sub is at-most-once anyway: the other nodes' `MessageSequencer`s
/// read a lost `message.new` from the store, and other events are at-most-once), one
/// consumer at a time.
///
/// Unlike an `AsyncStream`, a consumer cancelled while it waits leaves the queue open,
/// so the publisher of the next connection carries on where the lost one stopped.
///
/// Concurrency: `state` (a `Mutex`) holds the queue and the one waiting consumer.
final class DeliveryQueue: Sendable {
    private struct State {
        var queued = Deque<Delivery>()
        var waiter: CheckedContinuation<Delivery?, Never>?
        var waiterID = 0
        var finished = false
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    var isFinished: Bool { state.withLock { $0.finished } }

    func push(_ delivery: Delivery) {
        let waiter = state.withLock { state -> CheckedContinuation<Delivery?, Never>? in
            guard !state.finished else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            if state.queued.count >= capacity { state.queued.removeFirst() }
            state.queued.append(delivery)
            return nil
        }
        waiter?.resume(returning: delivery)
    }

    /// Ends the queue: nothing more is taken, and the consumer gets `nil` once it has
    /// taken what is queued.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Delivery?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next delivery; `nil` when the queue has finished or the caller was cancelled.
    func next() async -> Delivery? {
        let id = state.withLock { state -> Int in
            state.waiterID += 1
            return state.waiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Delivery?? in
                    if let delivery = state.queued.popFirst() { return .some(delivery) }
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Delivery?, Never>? in
                guard state.waiterID == id else { return nil }
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
