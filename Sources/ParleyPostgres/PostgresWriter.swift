import Logging
import NIOPosix
import ParleyCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The one writer of a node. Writes queue here and are committed together in one
/// transaction (group commit): a burst of sends pays one commit instead of one each.
/// The writer has its own connection, reopened when it breaks.
///
/// A batch first runs its writes with no savepoints (two round trips fewer per write):
/// the other writes one after the other, then every message append of the batch together
/// (`appendAll`: one statement locks and loads their conversations, one more stores
/// them all). A write may refuse with a `ParleyError` only before it has written
/// anything (the stores' writes check, then write); any other error aborts the
/// transaction, and the batch runs again with one savepoint per write, each append on
/// its own, so only the failing write fails.
///
/// Concurrency: a `CommitQueue` holds what waits; `run()` alone talks to the database.
/// A caller's `write` returns only once the transaction holding its work has committed.
/// The writer runs on an event loop of its own (a thread, `EventLoopTaskExecutor`), its
/// connection on that loop: each statement's answer resumes the writer there, rather than
/// in the concurrency pool behind the node's HTTP and WebSocket work (where it waited
/// 4–17 ms per statement under load).
final class PostgresWriter: Sendable {
    typealias Work<T> = @Sendable (PostgresConnection, PositionCounter) async throws -> T
    /// Appends the messages of a batch in order, as their `Work` would one after the
    /// other; a refusal fails one message only, any other error is thrown.
    typealias AppendAll = @Sendable ([BatchedAppend], PostgresConnection, PositionCounter) async throws
        -> [Result<AppendMessageResult, ParleyError>]

    /// The transaction cannot go on: roll back (and retry with savepoints, or give up).
    private struct TransactionAborted: Error {
        var underlying: any Error
    }

    private protocol PendingWrite: Sendable {
        /// Runs the work. With `savepoint`, in its own savepoint; without, a database
        /// error throws `TransactionAborted`. Throws also when the connection broke.
        func perform(
            on connection: PostgresConnection, counter: PositionCounter, savepoint: Bool, logger: Logger)
            async throws
        func complete(commitError: (any Error)?)
    }

    private final class TypedWrite<T: Sendable>: PendingWrite {
        private let work: Work<T>
        private let waiter: CommitWaiter<T>

        init(work: @escaping Work<T>, waiter: CommitWaiter<T>) {
            self.work = work
            self.waiter = waiter
        }

        func perform(
            on connection: PostgresConnection, counter: PositionCounter, savepoint: Bool, logger: Logger
        )
            async throws
        {
            let start = counter.last
            if savepoint { try await connection.query("SAVEPOINT parley_write", logger: logger) }
            do {
                let value = try await work(connection, counter)
                if savepoint { try await connection.query("RELEASE SAVEPOINT parley_write", logger: logger) }
                waiter.record(.success(value))
            } catch let error as ParleyError {
                // Refused before writing anything: the transaction goes on.
                counter.rewind(to: start)
                if savepoint { try await connection.query("ROLLBACK TO SAVEPOINT parley_write", logger: logger) }
                waiter.record(.failure(error))
            } catch {
                guard savepoint else { throw TransactionAborted(underlying: error) }
                counter.rewind(to: start)
                try await connection.query("ROLLBACK TO SAVEPOINT parley_write", logger: logger)
                waiter.record(.failure(PostgresErrors.map(error, logger: logger)))
            }
        }

        func complete(commitError: (any Error)?) { waiter.complete(commitError: commitError) }
    }

    /// A message append: run with the others of its batch (`AppendAll`), or on its own
    /// (`perform`) when the batch runs again with savepoints.
    private final class AppendWrite: PendingWrite {
        let append: BatchedAppend
        private let single: TypedWrite<AppendMessageResult>
        private let waiter: CommitWaiter<AppendMessageResult>

        init(append: BatchedAppend, single: @escaping Work<AppendMessageResult>, waiter: CommitWaiter<AppendMessageResult>) {
            self.append = append
            self.single = TypedWrite(work: single, waiter: waiter)
            self.waiter = waiter
        }

        func perform(
            on connection: PostgresConnection, counter: PositionCounter, savepoint: Bool, logger: Logger
        )
            async throws
        {
            try await single.perform(on: connection, counter: counter, savepoint: savepoint, logger: logger)
        }

        func record(_ result: Result<AppendMessageResult, ParleyError>) { waiter.record(result.mapError { $0 }) }

        func complete(commitError: (any Error)?) { waiter.complete(commitError: commitError) }
    }

    /// At most 256 writes per batch: appends share two statements whatever their number,
    /// so a batch's round trips are spread over more sends (256 senders: 2,045 sends/s
    /// with 64, 2,383 with 256); the savepoint fallback runs in parts of
    /// `maxSavepointsPerTransaction`.
    static let maxJobsPerBatch = 256
    /// At most 64 savepoints per transaction when a batch runs again one write at a time:
    /// each is a subtransaction, and PostgreSQL caches 64 per transaction before every
    /// snapshot gets slower; a longer batch runs again in several transactions.
    static let maxSavepointsPerTransaction = 64

    private let location: PostgresConnection.Configuration
    private let logger: Logger
    private let appendAll: AppendAll
    private let queue = CommitQueue<any PendingWrite>(maxBatch: maxJobsPerBatch)

    init(configuration: PostgresConnection.Configuration, logger: Logger, appendAll: @escaping AppendAll) {
        location = configuration
        self.logger = logger
        self.appendAll = appendAll
    }

    /// Runs `work` in the next batch; returns its value once that batch has committed.
    /// A `ParleyError` thrown by `work` must come before it writes; any error fails that
    /// write only. `afterCommit` runs right after the commit, on the writer, in commit
    /// order: keep it short.
    func write<T: Sendable>(afterCommit: (@Sendable (T) -> Void)? = nil, _ work: @escaping Work<T>) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let pending = TypedWrite(work: work, waiter: CommitWaiter(afterCommit: afterCommit, continuation: continuation))
            if !queue.enqueue(pending) {
                pending.complete(commitError: ParleyError.unavailable(reason: "the server is shutting down"))
            }
        }
    }

    /// Appends a message in the next batch, together with the batch's other appends;
    /// `single` appends it on its own (when the batch runs again with savepoints). Returns
    /// once that batch has committed; `afterCommit` as in `write`.
    func append(
        _ append: BatchedAppend, afterCommit: (@Sendable (AppendMessageResult) -> Void)?,
        single: @escaping Work<AppendMessageResult>
    ) async throws -> AppendMessageResult {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<AppendMessageResult, any Error>) in
            let pending = AppendWrite(
                append: append, single: single, waiter: CommitWaiter(afterCommit: afterCommit, continuation: continuation))
            if !queue.enqueue(pending) {
                pending.complete(commitError: ParleyError.unavailable(reason: "the server is shutting down"))
            }
        }
    }

    /// Commits queued writes until graceful shutdown, then commits what is left and stops.
    func run() async {
        // The writer's own thread: its connection's event loop and its task's executor.
        let thread = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let connection = ConnectionSlot(eventLoop: thread.next())
        let left = await withTaskExecutorPreference(EventLoopTaskExecutor(connection.eventLoop)) {
            await withGracefulShutdownHandler {
                await queue.run { batch in await self.commit(batch, on: connection) }
            } onGracefulShutdown: {
                self.queue.stop()
            }
        }
        try? await connection.value?.close()
        try? await thread.shutdownGracefully()
        // Stopped without a graceful shutdown (cancelled): nobody may wait for ever.
        for pending in left { pending.complete(commitError: ParleyError.unavailable(reason: "the server is shutting down")) }
    }

    private func commit(_ batch: [any PendingWrite], on connection: ConnectionSlot) async {
        // Writes not yet answered: each is answered once its transaction committed.
        var unanswered = batch[...]
        do {
            if connection.value == nil || connection.value?.isClosed == true {
                connection.value = try await PostgresConnection.connect(
                    on: connection.eventLoop, configuration: location, id: 1, logger: logger)
            }
            guard let open = connection.value else { throw ParleyError.unavailable(reason: "no connection to the database") }
            do {
                let committed = try await run(batch, on: open, savepoints: false)
                unanswered = []
                Self.answer(committed)
            } catch let aborted as TransactionAborted {
                logger.notice(
                    "a write failed inside a batch; running the batch again with a savepoint per write",
                    metadata: ["error": "\(String(reflecting: aborted.underlying))", "writes": "\(batch.count)"])
                try await open.query("ROLLBACK", logger: logger)
                while !unanswered.isEmpty {
                    let part = unanswered.prefix(Self.maxSavepointsPerTransaction)
                    let committed = try await run(Array(part), on: open, savepoints: true)
                    unanswered = unanswered.dropFirst(part.count)
                    Self.answer(committed)
                }
            }
        } catch {
            logger.error("write batch failed to commit", metadata: ["error": "\(error)", "writes": "\(unanswered.count)"])
            try? await connection.value?.close()
            connection.value = nil
            let failure = ParleyError.unavailable(reason: "the database could not commit the write")
            for pending in unanswered { pending.complete(commitError: failure) }
        }
    }

    /// Answers the writes of a committed transaction in the order they ran: `afterCommit`
    /// sees positions in order.
    private static func answer(_ committed: [any PendingWrite]) {
        for pending in committed { pending.complete(commitError: nil) }
    }

    /// One transaction holding every write of the batch; returns the writes in the order
    /// they ran.
    private func run(_ batch: [any PendingWrite], on connection: PostgresConnection, savepoints: Bool) async throws
        -> [any PendingWrite]
    {
        try await connection.query("BEGIN", logger: logger)
        guard
            let committed = try await connection.query(
                "SELECT last FROM parley_position WHERE id = 1 FOR UPDATE", logger: logger
            ).all().first?["last", as: Int64.self]
        else { throw ParleyError.unavailable(reason: "the parley_position row is missing: the schema is damaged") }
        let counter = PositionCounter(committed: committed)
        var order = batch
        if savepoints {
            for pending in batch {
                try await pending.perform(on: connection, counter: counter, savepoint: true, logger: logger)
            }
        } else {
            let appends = batch.compactMap { $0 as? AppendWrite }
            let others = batch.filter { !($0 is AppendWrite) }
            for pending in others {
                try await pending.perform(on: connection, counter: counter, savepoint: false, logger: logger)
            }
            if !appends.isEmpty {
                let results: [Result<AppendMessageResult, ParleyError>]
                do {
                    results = try await appendAll(appends.map(\.append), connection, counter)
                } catch {
                    throw TransactionAborted(underlying: error)
                }
                for (pending, result) in zip(appends, results) { pending.record(result) }
            }
            order = others + appends
        }
        if counter.last != counter.saved {
            try await connection.query("UPDATE parley_position SET last = \(counter.last) WHERE id = 1", logger: logger)
        }
        try await connection.query("COMMIT", logger: logger)
        return order
    }

    /// The writer's connection, opened on first use and again after it breaks. Touched only
    /// by the writer's task, one batch at a time.
    private final class ConnectionSlot: @unchecked Sendable {
        var value: PostgresConnection?
        /// The writer's thread, where its connection lives.
        let eventLoop: any EventLoop

        init(eventLoop: any EventLoop) {
            self.eventLoop = eventLoop
        }
    }
}
