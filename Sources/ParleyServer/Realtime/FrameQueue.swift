import ParleyCore
import Synchronization

/// The work of one connection that was read but not yet done, in order and at most
/// `limit` of it (past it the reader waits): client frames, and a resume asked for on
/// the upgrade. A worker task does it one job after the other — so sends commit in frame
/// order, and every frame is answered in the order it came — and exists only while
/// there is some: `enqueue` says when to start one, and the worker ends when the queue
/// is empty. The long-lived reader task only reads, so its stack stays shallow (a task
/// keeps the deepest stack it ever had until it ends), and an idle connection holds no
/// worker.
///
/// Concurrency: a `Mutex`; waiters resume outside it. One reader enqueues, one worker
/// (at a time) takes.
final class FrameQueue: Sendable {
    /// One piece of work, done by the worker.
    enum Job: Sendable {
        /// `readAt`: when the reader read it, with stage timings on.
        case frame(ClientFrame, readAt: ContinuousClock.Instant?)
        /// Replay what came after this cursor (`?cursor=` on the upgrade), before any frame.
        case resumeOnConnect(String)
    }

    private struct State {
        /// Read, not yet taken by the worker.
        var jobs: [Job] = []
        /// Read and not yet done: `jobs` plus the one being done.
        var inFlight = 0
        var workerRunning = false
        /// The reader, waiting for room, with the job it read.
        var waiter: (job: Job, continuation: CheckedContinuation<Bool, Never>)?
        /// The connection is ending: nothing is done any more, nobody waits.
        var stopped = false
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// Queues `job` if there is room. `nil`: full (wait in `enqueue`); `true`: no worker
    /// is running, and the caller starts one that calls `take()` until it answers `nil`.
    /// After `stop()` the job is dropped.
    func offer(_ job: Job) -> Bool? {
        state.withLock { state in Self.offer(job, &state, limit: limit) }
    }

    /// Queues `job`, waiting while `limit` jobs are in flight; `true` as for `offer`.
    func enqueue(_ job: Job) async -> Bool {
        if let start = offer(job) { return start }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let start = state.withLock { state -> Bool? in
                if let start = Self.offer(job, &state, limit: limit) { return start }
                state.waiter = (job, continuation)
                return nil
            }
            if let start { continuation.resume(returning: start) }
        }
    }

    private static func offer(_ job: Job, _ state: inout State, limit: Int) -> Bool? {
        if state.stopped { return false }
        guard state.inFlight < limit else { return nil }
        state.inFlight += 1
        state.jobs.append(job)
        if state.workerRunning { return false }
        state.workerRunning = true
        return true
    }

    /// Nothing read is waiting or being done (only the reader enqueues, so this stays
    /// true until it enqueues again).
    var isIdle: Bool {
        state.withLock { $0.inFlight == 0 }
    }

    /// The worker's next job, or `nil` (the worker ends; `enqueue` starts another when a
    /// job comes).
    func take() -> Job? {
        state.withLock { state in
            guard !state.stopped, !state.jobs.isEmpty else {
                state.workerRunning = false
                return nil
            }
            return state.jobs.removeFirst()
        }
    }

    /// The worker finished a job: its room goes to a waiting reader (whose job is queued).
    func done() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.stopped { return nil }
            guard let (job, continuation) = state.waiter else {
                state.inFlight -= 1
                return nil
            }
            state.waiter = nil
            state.jobs.append(job)
            return continuation
        }
        // The worker is running (it called this), so the reader starts none.
        waiter?.resume(returning: false)
    }

    /// Drops what is queued and wakes the reader: the connection is ending.
    func stop() {
        let waiter = state.withLock { state in
            defer {
                state.stopped = true
                state.jobs = []
                state.inFlight = 0
                state.waiter = nil
            }
            return state.waiter?.continuation
        }
        waiter?.resume(returning: false)
    }
}
