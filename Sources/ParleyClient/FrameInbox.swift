import DequeModule
import Synchronization

/// Text frames received and not yet read, with waits that can time out without losing
/// anything (an `AsyncStream` ends when a waiting reader is cancelled).
///
/// Concurrency: one reader at a time; `state` (a `Mutex`) holds the buffer and the
/// reader's continuation.
final class FrameInbox: Sendable {
    enum Failure: Error {
        case timedOut
    }

    private struct State {
        var buffer = Deque<String>()
        var finished = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<String?, any Error>)?
        var nextWaiterID: UInt64 = 0
        /// The newest wait that timed out or was cancelled. A wait can expire before its
        /// continuation is registered (its timer child ran first on a busy machine): the
        /// registration then fails at once instead of waiting forever.
        var expiredThrough: UInt64 = 0
    }

    /// Frames held for a reader at most; past it the session is too far behind.
    static let maxBuffered = 100_000

    private let state = Mutex(State())

    func push(_ text: String) {
        state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                waiter.continuation.resume(returning: text)
            } else if state.buffer.count < Self.maxBuffered {
                state.buffer.append(text)
            }
        }
    }

    func finish() {
        state.withLock { state in
            state.finished = true
            if let waiter = state.waiter {
                state.waiter = nil
                waiter.continuation.resume(returning: nil)
            }
        }
    }

    /// The next frame, or `nil` once finished and empty. Waits as long as it takes.
    func next() async throws -> String? {
        try await withCheckedThrowingContinuation { continuation in
            state.withLock { state in
                if let text = state.buffer.popFirst() {
                    continuation.resume(returning: text)
                } else if state.finished {
                    continuation.resume(returning: nil)
                } else {
                    state.nextWaiterID += 1
                    state.waiter = (state.nextWaiterID, continuation)
                }
            }
        }
    }

    /// The next frame, `nil` once finished and empty, or `Failure.timedOut`.
    func next(timeout: Duration) async throws -> String? {
        let id: UInt64 = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                try await withTaskCancellationHandler {
                    try await withCheckedThrowingContinuation { continuation in
                        self.state.withLock { state in
                            if let text = state.buffer.popFirst() {
                                continuation.resume(returning: text)
                            } else if state.finished {
                                continuation.resume(returning: nil)
                            } else if id <= state.expiredThrough {
                                continuation.resume(throwing: Failure.timedOut)
                            } else {
                                state.waiter = (id, continuation)
                            }
                        }
                    }
                } onCancel: {
                    self.expire(id)
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.expire(id)
                throw Failure.timedOut
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    private func expire(_ id: UInt64) {
        state.withLock { state in
            state.expiredThrough = max(state.expiredThrough, id)
            if let waiter = state.waiter, waiter.id == id {
                state.waiter = nil
                waiter.continuation.resume(throwing: Failure.timedOut)
            }
        }
    }
}
