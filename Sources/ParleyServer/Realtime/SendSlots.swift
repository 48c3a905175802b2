import Synchronization

/// Counts `message.send` frames read but not yet stored, so the reader waits when a
/// connection has `limit` of them. Concurrency: a `Mutex`; waiters resume outside it.
final class SendSlots: Sendable {
    private struct State {
        var taken = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// The reader, waiting for every send to be stored before a frame of another kind.
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        /// The sender has stopped: nothing waits any more.
        var stopped = false
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot, waiting for one if all are taken.
    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.stopped { return true }
                if state.taken < limit {
                    state.taken += 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Gives a slot back (to the first waiter, if any).
    func release() {
        let (waiter, idle) = state.withLock { state -> (CheckedContinuation<Void, Never>?, [CheckedContinuation<Void, Never>]) in
            if state.waiters.isEmpty {
                state.taken -= 1
                guard state.taken == 0 else { return (nil, []) }
                defer { state.idleWaiters = [] }
                return (nil, state.idleWaiters)
            }
            return (state.waiters.removeFirst(), [])
        }
        waiter?.resume()
        for continuation in idle { continuation.resume() }
    }

    /// Frees every slot and wakes every waiter: the sender has stopped.
    func releaseAll() {
        let (waiters, idle) = state.withLock { state in
            defer {
                state.taken = 0
                state.waiters = []
                state.idleWaiters = []
                state.stopped = true
            }
            return (state.waiters, state.idleWaiters)
        }
        for continuation in waiters + idle { continuation.resume() }
    }

    /// Returns once no slot is taken: every send read so far is stored.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.taken == 0 || state.stopped { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}
