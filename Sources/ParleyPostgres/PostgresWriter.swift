import Logging
import ParleyCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Positions handed out inside one write batch. The batch holds the row lock of
/// `parley_position` from its first statement to its commit, so positions are unique
/// across every node and grow in commit order (resume depends on that). A write that
/// fails gives its positions back, so committed messages have gap-free positions.
///
/// Used by one batch at a time, on the writer's task only.
final class PositionCounter {
    private(set) var last: Int64
    let committed: Int64

    init(committed: Int64) {
        self.committed = committed
        last = committed
    }

    func next() -> Int64 {
        last += 1
        return last
    }

    func rewind(to value: Int64) { last = value }
}

/// The one writer of a node. Writes queue here and are committed together in one
/// transaction (group commit): a burst of sends pays one commit instead of one each.
/// The writer has its own connection, reopened when it breaks.
///
/// A batch first runs its writes one after the other with no savepoints (two round trips
/// fewer per write). A write may refuse with a `ParleyError` only before it has written
/// anything (the stores' writes check, then write); any other error aborts the
/// transaction, and the batch runs again with one savepoint per write, so only the
/// failing write fails.
///
/// Concurrency: `state` (a `Mutex`) owns the queue; `run()` alone talks to the database.
/// A caller's `write` returns only once the transaction holding its work has committed.
final class PostgresWriter: Sendable {
    typealias Work<T> = @Sendable (PostgresConnection, PositionCounter) async throws -> T

    /// The transaction cannot go on: roll back (and retry with savepoints, or give up).
    private struct TransactionAborted: Error {
        var underlying: any Error
    }

    private protocol PendingWrite: Sendable {
        /// Runs the work. With `savepoint`, in its own savepoint; without, a database
        /// error throws `TransactionAborted`. Throws also when the connection broke.
        func perform(on connection: PostgresConnection, counter: PositionCounter, savepoint: Bool, logger: Logger)
            async throws
        func complete(commitError: (any Error)?)
    }

    private final class TypedWrite<T: Sendable>: PendingWrite {
        private let work: Work<T>
        private let afterCommit: (@Sendable (T) -> Void)?
        private let continuation: CheckedContinuation<T, any Error>
        private let outcome = Mutex<Result<T, any Error>?>(nil)

        init(work: @escaping Work<T>, afterCommit: (@Sendable (T) -> Void)?, continuation: CheckedContinuation<T, any Error>) {
            self.work = work
            self.afterCommit = afterCommit
            self.continuation = continuation
        }

        func perform(on connection: PostgresConnection, counter: PositionCounter, savepoint: Bool, logger: Logger)
            async throws
        {
            let start = counter.last
            if savepoint { try await connection.query("SAVEPOINT parley_write", logger: logger) }
            let result: Result<T, any Error>
            do {
                let value = try await work(connection, counter)
                if savepoint { try await connection.query("RELEASE SAVEPOINT parley_write", logger: logger) }
                result = .success(value)
            } catch let error as ParleyError {
                // Refused before writing anything: the transaction goes on.
                counter.rewind(to: start)
                if savepoint { try await connection.query("ROLLBACK TO SAVEPOINT parley_write", logger: logger) }
                result = .failure(error)
            } catch {
                guard savepoint else { throw TransactionAborted(underlying: error) }
                counter.rewind(to: start)
                try await connection.query("ROLLBACK TO SAVEPOINT parley_write", logger: logger)
                result = .failure(PostgresErrors.map(error, logger: logger))
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

    static let maxJobsPerBatch = 256

    private struct State {
        var pending: [any PendingWrite] = []
        var stopped = false
    }

    private let location: PostgresConnection.Configuration
    private let logger: Logger
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(configuration: PostgresConnection.Configuration, logger: Logger) {
        location = configuration
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Runs `work` in the next batch; returns its value once that batch has committed.
    /// An error thrown by `work` rolls back its savepoint only. `afterCommit` runs right
    /// after the commit, on the writer, in commit order: keep it short.
    func write<T: Sendable>(afterCommit: (@Sendable (T) -> Void)? = nil, _ work: @escaping Work<T>) async throws -> T {
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

    /// Commits queued writes until graceful shutdown, then commits what is left and stops.
    func run() async {
        var connection: PostgresConnection?
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                await drain(&connection)
            }
            await drain(&connection)
        } onGracefulShutdown: {
            self.state.withLock { $0.stopped = true }
            self.wake.finish()
        }
        try? await connection?.close()
        // Stopped without a graceful shutdown (cancelled): nobody may wait for ever.
        let left = state.withLock { state -> [any PendingWrite] in
            state.stopped = true
            defer { state.pending = [] }
            return state.pending
        }
        for pending in left { pending.complete(commitError: ParleyError.unavailable(reason: "the server is shutting down")) }
    }

    private func drain(_ connection: inout PostgresConnection?) async {
        while true {
            let batch = state.withLock { state -> [any PendingWrite] in
                let count = min(state.pending.count, Self.maxJobsPerBatch)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return }
            await commit(batch, on: &connection)
        }
    }

    private func commit(_ batch: [any PendingWrite], on connection: inout PostgresConnection?) async {
        do {
            if connection == nil || connection?.isClosed == true {
                connection = try await PostgresConnection.connect(configuration: location, id: 1, logger: logger)
            }
            guard let open = connection else { throw ParleyError.unavailable(reason: "no connection to the database") }
            do {
                try await run(batch, on: open, savepoints: false)
            } catch let aborted as TransactionAborted {
                logger.notice(
                    "a write failed inside a batch; running the batch again with a savepoint per write",
                    metadata: ["error": "\(String(reflecting: aborted.underlying))", "writes": "\(batch.count)"])
                try await open.query("ROLLBACK", logger: logger)
                try await run(batch, on: open, savepoints: true)
            }
        } catch {
            logger.error("write batch failed to commit", metadata: ["error": "\(error)", "writes": "\(batch.count)"])
            try? await connection?.close()
            connection = nil
            let failure = ParleyError.unavailable(reason: "the database could not commit the write")
            for pending in batch { pending.complete(commitError: failure) }
            return
        }
        for pending in batch { pending.complete(commitError: nil) }
    }

    /// One transaction holding every write of the batch.
    private func run(_ batch: [any PendingWrite], on connection: PostgresConnection, savepoints: Bool) async throws {
        try await connection.query("BEGIN", logger: logger)
        guard
            let committed = try await connection.query(
                "SELECT last FROM parley_position WHERE id = 1 FOR UPDATE", logger: logger
            ).all().first?["last", as: Int64.self]
        else { throw ParleyError.unavailable(reason: "the parley_position row is missing: the schema is damaged") }
        let counter = PositionCounter(committed: committed)
        for pending in batch {
            try await pending.perform(on: connection, counter: counter, savepoint: savepoints, logger: logger)
        }
        if counter.last != counter.committed {
            try await connection.query("UPDATE parley_position SET last = \(counter.last) WHERE id = 1", logger: logger)
        }
        try await connection.query("COMMIT", logger: logger)
    }
}
