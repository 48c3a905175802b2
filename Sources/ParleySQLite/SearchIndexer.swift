import GRDB
import Logging
import ParleyCore
import Synchronization

/// Indexes committed messages for search after their transaction, so a send pays for
/// neither the text analysis (folding, stop words, stems: CPU) nor the FTS5 insert.
///
/// `search_progress` holds the position (message rowid) up to which `message_search`
/// holds every message. A pass reads the messages after it from a snapshot, analyses
/// them outside any transaction, then in one write inserts their rows and moves the
/// position, only if the position is still the one it read: a concurrent pass (a
/// search catching up, another node on the same file) makes it start over instead of
/// indexing a message twice, and a crash loses nothing (the rows and the position
/// commit together; the next start catches up).
///
/// Positions are commit order (one writer at a time allocates rowids; messages are never
/// deleted), so a snapshot holding a message holds every message before it.
///
/// Passes run when a commit appended messages (`wake()`), every `pollInterval` (other
/// nodes' messages), and before each search (`catchUp(maxBatches:)`), which keeps
/// search complete: a message whose send returned is found.
final class SearchIndexer: Sendable {
    /// Messages per pass: their analysis is a few milliseconds of CPU and their rows one
    /// short savepoint in the writer's batch; more would hold the writer longer at once.
    static let batchSize = 256

    /// How often a node looks for messages it was not told about (another node's, on a
    /// shared file): a wake-up does not cross processes.
    static let pollInterval: Duration = .milliseconds(250)

    /// Batches a search indexes before it queries (4,096 messages): enough for any lag
    /// a running node has; after a restart with a larger backlog a search does not wait
    /// for all of it (the background pass indexes the rest within seconds).
    static let maxSearchCatchUpBatches = 16

    private let pool: DatabasePool
    private let writer: GroupCommitWriter
    private let logger: Logger
    private let wakeUps: AsyncStream<Void>
    private let wakeUpContinuation: AsyncStream<Void>.Continuation
    private let lagObserver = Mutex<(@Sendable (Int64) -> Void)?>(nil)

    init(pool: DatabasePool, writer: GroupCommitWriter, logger: Logger) {
        self.pool = pool
        self.writer = writer
        self.logger = logger
        // One pending wake-up is enough: a pass indexes everything committed before it.
        (wakeUps, wakeUpContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a pass soon (cheap: called after every commit that appended messages).
    func wake() {
        wakeUpContinuation.yield()
    }

    func observeLag(_ observer: @escaping @Sendable (Int64) -> Void) {
        lagObserver.withLock { $0 = observer }
    }

    /// Indexes what is pending, then again on each wake-up or poll, until cancelled.
    /// Call once.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [wakeUpContinuation] in
                while (try? await Task.sleep(for: Self.pollInterval)) != nil { wakeUpContinuation.yield() }
            }
            // What an earlier run (or a crash) left unindexed.
            wake()
            for await _ in wakeUps {
                do {
                    try await catchUp(maxBatches: .max)
                } catch {
                    if Task.isCancelled { break }
                    // Tried again at the next wake-up or poll.
                    logger.warning("search indexing pass failed", metadata: ["error": "\(error)"])
                }
            }
            group.cancelAll()
        }
    }

    /// Indexes the messages committed before this call (and any that come while it runs,
    /// within `maxBatches` batches); returns when the index holds them or the batches
    /// are spent.
    func catchUp(maxBatches: Int) async throws {
        var target: Int64?
        var batches = 0
        while batches < maxBatches {
            let pending = try await pool.read { database in try Self.pending(in: database) }
            target = target ?? pending.newest
            reportLag(pending.newest - pending.indexed)
            guard let last = pending.messages.last, pending.indexed < target! else { return }
            // The analysis, off the writer.
            let entries = try pending.messages.map { row in (position: try row.requirePosition(), terms: terms(of: row)) }
            let indexed = pending.indexed
            let recorded = try await writer.write { database in try Self.record(entries, after: indexed, in: database) }
            batches += 1
            if recorded { reportLag(max(0, pending.newest - (try last.requirePosition()))) }
        }
    }

    /// The terms of one message; a row no version writes is indexed by its content
    /// alone (and logged) rather than stopping the index at it.
    private func terms(of row: MessageRow) -> String {
        do {
            return try SearchIndexText.terms(of: row.record)
        } catch {
            logger.error(
                "message indexed for search by its content only", metadata: ["message": "\(row.record.id)", "error": "\(error)"])
            return SearchIndexText.terms(content: row.record.content, conversationID: row.record.conversationID)
        }
    }

    private func reportLag(_ lag: Int64) {
        lagObserver.withLock { $0 }?(lag)
    }

    /// What a pass has to do, as of one snapshot.
    private struct Pending {
        /// The position up to which the index holds every message.
        var indexed: Int64
        /// The newest message's position.
        var newest: Int64
        /// The next messages to index, at most `batchSize`, in position order.
        var messages: [MessageRow]
    }

    private static func pending(in database: Database) throws -> Pending {
        let indexed = try Int64.fetchOne(try database.cachedStatement(sql: "SELECT position FROM search_progress WHERE id = 1")) ?? 0
        let newest = try Int64.fetchOne(try database.cachedStatement(sql: "SELECT coalesce(max(rowid), 0) FROM messages")) ?? 0
        guard newest > indexed else { return Pending(indexed: indexed, newest: newest, messages: []) }
        let messages = try MessageRow.fetchAll(
            try database.cachedStatement(
                sql: "SELECT rowid AS position, * FROM messages WHERE rowid > ? ORDER BY rowid LIMIT ?"),
            arguments: [indexed, batchSize])
        return Pending(indexed: indexed, newest: newest, messages: messages)
    }

    /// Inserts the rows and moves the position past them, if the position is still
    /// `expected`; `false` (nothing written) when another pass got there first.
    private static func record(_ entries: [(position: Int64, terms: String)], after expected: Int64, in database: Database)
        throws -> Bool
    {
        guard let last = entries.last,
            try Int64.fetchOne(try database.cachedStatement(sql: "SELECT position FROM search_progress WHERE id = 1")) == expected
        else { return false }
        let insert = try database.cachedStatement(sql: "INSERT INTO message_search (rowid, terms) VALUES (?, ?)")
        for entry in entries { try insert.execute(arguments: [entry.position, entry.terms]) }
        try database.cachedStatement(sql: "UPDATE search_progress SET position = ? WHERE id = 1")
            .execute(arguments: [last.position])
        return true
    }
}
