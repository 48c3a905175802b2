import GRDB
import Logging
import ParleyCore
import ServiceLifecycle
import Synchronization

/// The one writer of a SQLite database. Concurrent writes queue here and are committed
/// together, each in its own savepoint of one shared transaction (group commit), so a
/// burst of sends pays one fsync instead of one each.
///
/// Concurrency: a `CommitQueue` holds what waits; `run()` is the only code that
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
        private let waiter: CommitWaiter<T>

        init(work: @escaping @Sendable (Database) throws -> T, waiter: CommitWaiter<T>) {
            self.work = work
            self.waiter = waiter
        }

        func perform(in database: Database) {
            do {
                var value: T?
                try database.inSavepoint {
                    value = try work(database)
                    return .commit
                }
                waiter.record(.success(value!))
            } catch {
                waiter.record(.failure(error))
            }
        }

        func complete(commitError: (any Error)?) { waiter.complete(commitError: commitError) }
    }

    /// Jobs per transaction: large enough to amortise the commit, small enough that one
    /// transaction stays short (a few ms) and readers see progress.
    static let maxJobsPerBatch = 512

    private let pool: DatabasePool
    private let logger: Logger
    private let queue = CommitQueue<any PendingWrite>(maxBatch: maxJobsPerBatch)

    init(pool: DatabasePool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// Runs `work` in the next batch; returns its value once that batch has committed.
    /// An error thrown by `work` rolls back its savepoint only. `afterCommit` runs with
    /// the value right after the commit, on the writer, in commit order: keep it short.
    func write<T: Sendable>(
        afterCommit: (@Sendable (T) -> Void)? = nil, _ work: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let pending = TypedWrite(work: work, waiter: CommitWaiter(afterCommit: afterCommit, continuation: continuation))
            if !queue.enqueue(pending) {
                pending.complete(commitError: ParleyError.unavailable(reason: "the server is shutting down"))
            }
        }
    }

    /// Commits queued jobs until graceful shutdown, then commits what is left and stops.
    func run() async {
        let left = await withGracefulShutdownHandler {
            await queue.run { batch in await self.commit(batch) }
        } onGracefulShutdown: {
            self.queue.stop()
        }
        for pending in left { pending.complete(commitError: ParleyError.unavailable(reason: "the server is shutting down")) }
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
