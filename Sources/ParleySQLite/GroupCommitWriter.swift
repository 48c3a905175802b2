import GRDB
import Logging
import ParleyCore
import ServiceLifecycle
import Synchronization

/// The one writer of a SQLite database. Concurrent writes queue here and are committed
/// together, each in its own savepoint of one shared transaction (group commit), so a
/// burst of sends pays one fsync instead of one each.
///
/// Concurrency: `state` (a `Mutex`) owns the queue; `run()` is the only code that
/// touches the database for writing, one batch at a time. A caller's `write` returns
/// only after the transaction holding its work has committed.
final class GroupCommitWriter: Sendable {
    /// One queued write.
    private protocol PendingWrite: Sendable {
        /// Runs the work inside the batch's transaction, in its own savepoint.
        func perform(in database: Database)
        /// Answers the caller: with the work's result when the batch committed, with
        /// `commitError` when it did not.
        func complete(commitError: (any Error)?)
    }

    private final class TypedWrite<T: Sendable>: PendingWrite {
        private let work: @Sendable (Database) throws -> T
        private let afterCommit: (@Sendable (T) -> Void)?
        private let continuation: CheckedContinuation<T, any Error>
        private let outcome = Mutex<Result<T, any Error>?>(nil)

        init(
            work: @escaping @Sendable (Database) throws -> T, afterCommit: (@Sendable (T) -> Void)?,
            continuation: CheckedContinuation<T, any Error>
        ) {
            self.work = work
            self.afterCommit = afterCommit
            self.continuation = continuation
        }

        func perform(in database: Database) {
            let result: Result<T, any Error>
            do {
                var value: T?
                try database.inSavepoint {
                    value = try work(database)
                    return .commit
                }
                result = .success(value!)
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
        }

        func complete(commitError: (any Error)?) {
            if let commitError {
                continuation.resume(throwing: commitError)
                return
            }
            let result = outcome.withLock { $0 } ?? .failure(ParleyError.unavailable(reason: "the write did not run"))
            if case .success(let value) = result { afterCommit?(value) }
            continuation.resume(with: result)
        }
    }

    /// Jobs per transaction: large enough to amortise the commit, small enough that one
    /// transaction stays short (a few ms) and readers see progress.
    static let maxJobsPerBatch = 512

    private struct State {
        var pending: [any PendingWrite] = []
        var stopped = false
    }

    private let pool: DatabasePool
    private let logger: Logger
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(pool: DatabasePool, logger: Logger) {
        self.pool = pool
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Runs `work` in the next batch; returns its value once that batch has committed.
    /// An error thrown by `work` rolls back its savepoint only. `afterCommit` runs with
    /// the value right after the commit, on the writer, in commit order: keep it short.
    func write<T: Sendable>(
        afterCommit: (@Sendable (T) -> Void)? = nil, _ work: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let pending = TypedWrite(work: work, afterCommit: afterCommit, continuation: continuation)
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.pending.append(pending)
                return true
            }
            if accepted {
                wake.yield()
            } else {
                pending.complete(commitError: ParleyError.unavailable(reason: "the server is shutting down"))
            }
        }
    }

    /// Commits queued jobs until graceful shutdown, then commits what is left and stops.
    func run() async {
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                await drain()
            }
            await drain()
        } onGracefulShutdown: {
            self.state.withLock { $0.stopped = true }
            self.wake.finish()
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [any PendingWrite] in
                let count = min(state.pending.count, Self.maxJobsPerBatch)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [any PendingWrite]) async {
        do {
            try await pool.writeWithoutTransaction { database in
                try database.inTransaction(.immediate) {
                    for pending in batch { pending.perform(in: database) }
                    return .commit
                }
            }
        } catch {
            // Nothing in the batch took effect: every caller hears of the failure.
            logger.error("write batch failed to commit", metadata: ["error": "\(error)", "writes": "\(batch.count)"])
            let failure = ParleyError.unavailable(reason: "the database could not commit the write")
            for pending in batch { pending.complete(commitError: failure) }
            return
        }
        for pending in batch { pending.complete(commitError: nil) }
    }
}
