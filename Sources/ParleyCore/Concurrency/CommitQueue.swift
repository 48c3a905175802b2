import Synchronization

/// Writes waiting for the next batch of a group-commit writer: any task queues, one task
/// (`run`) takes them out in batches, in the order they came.
///
/// Concurrency: `state` (a `Mutex`) owns the queue; a wake-up stream tells `run` there is
/// work, so it sleeps while there is none.
public final class CommitQueue<Job: Sendable>: Sendable {
    private struct State {
        var pending: [Job] = []
        var stopped = false
    }

    /// Jobs per batch at most.
    public let maxBatch: Int
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init(maxBatch: Int) {
        self.maxBatch = maxBatch
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `job`; false once the queue has stopped (the caller answers the job itself).
    public func enqueue(_ job: Job) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.pending.append(job)
            return true
        }
        if accepted { wake.yield() }
        return accepted
    }

    /// Hands every batch to `commit`, one at a time, until `stop()`; then the batches left,
    /// and returns. Jobs that were never handed out (the task was cancelled) are returned.
    public func run(_ commit: ([Job]) async -> Void) async -> [Job] {
        for await _ in wakeups {
            await drain(commit)
        }
        await drain(commit)
        return state.withLock { state in
            state.stopped = true
            defer { state.pending = [] }
            return state.pending
        }
    }

    /// No more jobs are taken; `run` commits what is queued and returns.
    public func stop() {
        state.withLock { $0.stopped = true }
        wake.finish()
    }

    private func drain(_ commit: ([Job]) async -> Void) async {
        while !Task.isCancelled {
            let batch = state.withLock { state -> [Job] in
                let count = min(state.pending.count, maxBatch)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return }
            await commit(batch)
        }
    }
}
