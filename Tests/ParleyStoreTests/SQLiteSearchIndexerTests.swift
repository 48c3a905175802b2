import Foundation
import GRDB
import Logging
import ParleyCore
import ParleySQLite
import ParleyTestSupport
import Synchronization
import Testing

/// The SQLite store indexes messages for search after their transaction
/// (`SearchIndexer`): search still finds every committed message, the index catches up
/// after a restart, and each message has one index row, also with two stores on one file.
@Suite struct SQLiteSearchIndexerTests {
    /// Longest wait for the background indexer (no timing is asserted: a pass takes
    /// milliseconds; this only bounds a failing test).
    static let maxWait: Duration = .seconds(30)

    private static func logger() -> Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return logger
    }

    private static func withDatabasePath<T>(_ body: (String) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-indexer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try await body(folder.appendingPathComponent("db.sqlite").path)
    }

    /// Messages, index rows, and the indexed position against the newest message, read
    /// behind the store's back.
    private struct Counts: Equatable {
        var messages: Int
        var indexRows: Int
        var indexedThrough: Int64
        var newest: Int64
        var complete: Bool { messages == indexRows && indexedThrough == newest }
    }

    private static func counts(at path: String) throws -> Counts {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { database in
            Counts(
                messages: try Int.fetchOne(database, sql: "SELECT count(*) FROM messages") ?? -1,
                indexRows: try Int.fetchOne(database, sql: "SELECT count(*) FROM message_search") ?? -1,
                indexedThrough: try Int64.fetchOne(database, sql: "SELECT position FROM search_progress") ?? -1,
                newest: try Int64.fetchOne(database, sql: "SELECT coalesce(max(rowid), 0) FROM messages") ?? -1)
        }
    }

    /// Waits (bounded) until `condition` holds; returns whether it did.
    private static func eventually(_ condition: () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + maxWait
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try condition()
    }

    private static func search(_ store: SQLiteConversationStore, _ text: String) async throws -> [String] {
        try await store.search(
            SearchQuery(viewerID: "agent", viewerSeesEverything: true, terms: TextAnalyzer.queryTerms(text), limit: 50)
        ).messages.map(\.content)
    }

    @Test func aSearchRightAfterASendFindsItWithNoWait() async throws {
        try await Self.withDatabasePath { path in
            let store = try SQLiteConversationStore(path: path, logger: Self.logger())
            try await withRunningServices([store], logger: Self.logger()) {
                let conversation = try await store.createConversation(Make.conversation()).conversation.conversationID
                for round in 0..<20 {
                    _ = try await store.appendMessage(Make.message(conversation, "paquete número \(round) extraviado"))
                    #expect(try await Self.search(store, "extraviados").count == round + 1)
                }
            }
            #expect(try Self.counts(at: path).complete)
        }
    }

    @Test func theLagReturnsToZeroAndEachMessageIsIndexedOnceWithoutASearch() async throws {
        try await Self.withDatabasePath { path in
            let store = try SQLiteConversationStore(path: path, logger: Self.logger())
            let lags = Mutex<[Int64]>([])
            store.observeSearchIndexLag { lag in lags.withLock { $0.append(lag) } }
            try await withRunningServices([store], logger: Self.logger()) {
                let conversation = try await store.createConversation(Make.conversation()).conversation.conversationID
                // More than a batch, from concurrent senders (several group commits).
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for sender in 0..<8 {
                        group.addTask {
                            for index in 0..<80 {
                                _ = try await store.appendMessage(Make.message(conversation, "factura \(sender)-\(index)"))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let caughtUp = try await Self.eventually {
                    try Self.counts(at: path).complete && lags.withLock { $0.last } == 0
                }
                #expect(caughtUp)
                #expect(try Self.counts(at: path) == Counts(messages: 640, indexRows: 640, indexedThrough: 640, newest: 640))
                #expect(try await Self.search(store, "factura").count == 50)
            }
        }
    }

    @Test func aMessageCommittedButNotIndexedIsIndexedAfterARestart() async throws {
        try await Self.withDatabasePath { path in
            let first = try SQLiteConversationStore(path: path, logger: Self.logger())
            let conversation = try await withRunningServices([first], logger: Self.logger()) {
                let conversation = try await first.createConversation(Make.conversation()).conversation.conversationID
                _ = try await first.appendMessage(Make.message(conversation, "hola"))
                #expect(try await Self.search(first, "hola").count == 1)
                return conversation
            }
            // As a node killed between a send's commit and its indexing leaves it: the
            // message committed, the index and its position not moved.
            let queue = try DatabaseQueue(path: path)
            try await queue.write { database in
                try database.execute(
                    sql: """
                        INSERT INTO messages (conversation_id, seq, id, sender_id, content, type, created_at)
                        VALUES (?, 2, 'm-unindexed', 'buyer1', 'La devolución quedó registrada', 'text', 1795515330000)
                        """, arguments: [conversation])
            }
            try queue.close()
            #expect(try Self.counts(at: path) == Counts(messages: 2, indexRows: 1, indexedThrough: 1, newest: 2))

            let second = try SQLiteConversationStore(path: path, logger: Self.logger())
            try await withRunningServices([second], logger: Self.logger()) { () async throws in
                // The start indexes it by itself, before any search asks.
                #expect(try await Self.eventually { try Self.counts(at: path).complete })
                #expect(try await Self.search(second, "devoluciones") == ["La devolución quedó registrada"])
            }
            #expect(try Self.counts(at: path) == Counts(messages: 2, indexRows: 2, indexedThrough: 2, newest: 2))
        }
    }

    @Test func twoStoresOnOneFileIndexEachMessageOnce() async throws {
        try await Self.withDatabasePath { path in
            let one = try SQLiteConversationStore(path: path, logger: Self.logger())
            let other = try SQLiteConversationStore(path: path, logger: Self.logger())
            try await withRunningServices([one, other], logger: Self.logger()) {
                let conversation = try await one.createConversation(Make.conversation()).conversation.conversationID
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (node, store) in [one, other].enumerated() {
                        group.addTask {
                            for index in 0..<150 {
                                _ = try await store.appendMessage(Make.message(conversation, "pedido \(node)-\(index)"))
                                // Searches on both nodes race the background passes.
                                if index.isMultiple(of: 25) { _ = try await Self.search(store, "pedido") }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                // A search on one node finds what the other just sent (no wake-up crosses
                // stores: the search catches up from the file).
                _ = try await other.appendMessage(Make.message(conversation, "reclamo urgente"))
                #expect(try await Self.search(one, "reclamos") == ["reclamo urgente"])
                // Every message committed before the call is indexed when it returns.
                try await other.indexPendingMessagesForSearch()
                #expect(try Self.counts(at: path).complete)
            }
            #expect(try Self.counts(at: path) == Counts(messages: 301, indexRows: 301, indexedThrough: 301, newest: 301))
        }
    }
}
