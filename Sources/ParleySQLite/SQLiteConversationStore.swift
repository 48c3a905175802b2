import Foundation
import GRDB
import Logging
import ParleyCore
import ServiceLifecycle

/// `ConversationStore` on an embedded SQLite database.
///
/// Concurrency: a `DatabasePool` in WAL mode gives concurrent snapshot readers; every
/// write goes through one `GroupCommitWriter`, whose `run()` must be running (the store
/// is a `Service`: put it in the service group).
///
/// Durability: `synchronous=FULL`, so a committed write survives a process crash and a
/// power loss; group commit keeps that affordable (one fsync per batch, not per write).
///
/// The algorithms both stores share (inbox pages as of a snapshot, message page anchors,
/// resume windows, row checking) live in `ParleyCore/Store`; this store's files hold its
/// SQL: `+Writes`, `+Reads`, `+Inbox`, `+Search`, `+Rows`, `+Assist` (`AssistStore`), and the row types in `Rows/`.
///
/// Search: messages are indexed after their transaction by `SearchIndexer` (which `run()`
/// also runs); a search first indexes what is pending, so it finds every committed message.
public final class SQLiteConversationStore: ConversationStore, SearchIndexLagReporting, Service {
    let pool: DatabasePool
    let writer: GroupCommitWriter
    let indexer: SearchIndexer

    /// Opens (creating it and its folder if needed) and migrates the database at `path`.
    public init(path: String, logger: Logger) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { database in
            try database.execute(sql: "PRAGMA synchronous = FULL")
            // 8 MiB of page cache per connection (SQLite's default is 2 MiB): the hot
            // part of the indexes stays in memory as the database grows.
            try database.execute(sql: "PRAGMA cache_size = -8192")
        }
        configuration.busyMode = .timeout(5)
        pool = try DatabasePool(path: path, configuration: configuration)
        do {
            try SQLiteSchema.migrator.migrate(pool)
        } catch {
            // Another process on the same file (a second node starting at the same moment)
            // may have applied a step between our check and our write: look again.
            if try !pool.read({ try SQLiteSchema.migrator.hasCompletedMigrations($0) }) {
                try SQLiteSchema.migrator.migrate(pool)
            }
        }
        writer = GroupCommitWriter(pool: pool, logger: logger)
        indexer = SearchIndexer(pool: pool, writer: writer, logger: logger)
        logger.info("SQLite database ready", metadata: ["path": "\(path)"])
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { [indexer] in
                // Stops at shutdown; what it had not indexed waits for the next start.
                try? await cancelWhenGracefulShutdown { await indexer.run() }
            }
            await writer.run()
        }
    }

    public func observeSearchIndexLag(_ observer: @escaping @Sendable (Int64) -> Void) {
        indexer.observeLag(observer)
    }

    /// Returns once every message committed before the call is indexed for search, with
    /// no bound on how many that is (for tools such as `parley bench search`; a search
    /// itself catches up a bounded number).
    public func indexPendingMessagesForSearch() async throws {
        try await indexer.catchUp(maxBatches: .max)
    }
}
