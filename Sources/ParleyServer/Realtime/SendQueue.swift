import ParleyCore
import Synchronization

/// The `message.send` frames of one connection that were read but are not yet stored,
/// in frame order and at most `limit` of them (past it the reader waits). They are
/// stored one after the other by a sender task that exists only while there are some:
/// `enqueue` says when to start one, and the sender ends when the queue is empty, so an
/// idle connection holds no sender task (each costs a task and its stack).
///
/// Concurrency: a `Mutex`; waiters resume outside it. One reader enqueues, one sender
/// (at a time) takes.
final class SendQueue: Sendable {
    private struct State {
        /// Read, not yet taken by the sender.
        var frames: [ClientFrame] = []
        /// Read and not yet stored: `frames` plus the one being stored.
        var inFlight = 0
        var senderRunning = false
        /// The reader, waiting for a slot, with the frame it read.
        var waiter: (frame: ClientFrame, continuation: CheckedContinuation<Bool, Never>)?
        /// The reader, waiting for every send to be stored before a frame of another kind.
        var idleWaiter: CheckedContinuation<Void, Never>?
        /// The connection is ending: nothing is stored any more, nobody waits.
        var stopped = false
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// Queues `frame`, waiting while `limit` frames are in flight. `true`: no sender is
    /// running, and the caller starts one that calls `take()` until it answers `nil`.
    /// After `stop()` the frame is dropped.
    func enqueue(_ frame: ClientFrame) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let start = state.withLock { state -> Bool? in
                if state.stopped { return false }
                guard state.inFlight < limit else {
                    state.waiter = (frame, continuation)
                    return nil
                }
                state.inFlight += 1
                state.frames.append(frame)
                if state.senderRunning { return false }
                state.senderRunning = true
                return true
            }
            if let start { continuation.resume(returning: start) }
        }
    }

    /// The sender's next frame to store, or `nil` (the sender ends; `enqueue` starts
    /// another when a frame comes).
    func take() -> ClientFrame? {
        state.withLock { state in
            guard !state.stopped, !state.frames.isEmpty else {
                state.senderRunning = false
                return nil
            }
            return state.frames.removeFirst()
        }
    }

    /// The sender stored a frame: its slot goes to a waiting reader (whose frame is
    /// queued), and a reader waiting for idleness goes on once none is in flight.
    func stored() {
        let (waiter, idle) = state.withLock { state -> (CheckedContinuation<Bool, Never>?, CheckedContinuation<Void, Never>?) in
            if state.stopped { return (nil, nil) }
            if let (frame, continuation) = state.waiter {
                state.waiter = nil
                state.frames.append(frame)
                return (continuation, nil)
            }
            state.inFlight -= 1
            guard state.inFlight == 0 else { return (nil, nil) }
            defer { state.idleWaiter = nil }
            return (nil, state.idleWaiter)
        }
        // The sender is running (it called this), so the reader starts none.
        waiter?.resume(returning: false)
        idle?.resume()
    }

    /// Drops what is queued and wakes the reader: the connection is ending.
    func stop() {
        let (waiter, idle) = state.withLock { state in
            defer {
                state.stopped = true
                state.frames = []
                state.inFlight = 0
                state.waiter = nil
                state.idleWaiter = nil
            }
            return (state.waiter?.continuation, state.idleWaiter)
        }
        waiter?.resume(returning: false)
        idle?.resume()
    }

    /// Returns once no frame is in flight: every send read so far is stored.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.inFlight == 0 || state.stopped { return true }
                state.idleWaiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }
}
