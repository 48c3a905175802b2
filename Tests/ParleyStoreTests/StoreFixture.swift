import Foundation
import GRDB
import Logging
import ParleyCore
import ParleyPostgres
import ParleySQLite
import ParleyTestSupport
import ServiceLifecycle

/// Every store the behaviours (`StoreBehaviour`) run against: `SQLiteStoreTests` and
/// `PostgresStoreTests`. PostgreSQL needs `PARLEY_TEST_POSTGRES_URL` (scripts/test.sh
/// starts a PostgreSQL and sets it).
enum StoreKind: String, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    var description: String { rawValue }

    /// Runs raw SQL on the store's database behind its back (to damage stored values).
    typealias RawSQL = @Sendable (String) async throws -> Void

    /// Opens a fresh, empty store, runs its services while `body` runs, then stops them.
    func withStore<T: Sendable>(_ body: @Sendable (any ConversationStore) async throws -> T) async throws -> T {
        try await withStore { store, _ in try await body(store) }
    }

    /// The same, with a way to run raw SQL on its database.
    func withStore<T: Sendable>(_ body: @Sendable (any ConversationStore, RawSQL) async throws -> T) async throws -> T {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-store-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("db.sqlite").path
            let store = try SQLiteConversationStore(path: path, logger: logger)
            let raw: RawSQL = { sql in
                let queue = try DatabaseQueue(path: path)
                try await queue.write { database in try database.execute(sql: sql) }
                try queue.close()
            }
            return try await withRunningServices([store], logger: logger) { try await body(store, raw) }
        case .postgres:
            return try await ThrowawayPostgres.withDatabase { url in
                let store = try await PostgresConversationStore(location: PostgresLocation(url)!, logger: logger)
                let raw: RawSQL = { sql in try await ThrowawayPostgres.execute(sql, inDatabase: url) }
                return try await withRunningServices([store], logger: logger) { try await body(store, raw) }
            }
        }
    }
}

/// `count` PostgreSQL stores on one fresh database, as `count` nodes have them (each its
/// own pool and writer connection), running while `body` runs.
func withPostgresNodes<T: Sendable>(
    _ count: Int, _ body: @Sendable ([PostgresConversationStore]) async throws -> T
) async throws -> T {
    var logger = Logger(label: "test")
    logger.logLevel = .error
    return try await ThrowawayPostgres.withDatabase { url in
        var nodes: [PostgresConversationStore] = []
        for _ in 0..<count { nodes.append(try await PostgresConversationStore(location: PostgresLocation(url)!, logger: logger)) }
        return try await withRunningServices(nodes, logger: logger) { try await body(nodes) }
    }
}

/// Builders for store requests with sensible defaults.
enum Make {

    static func time(_ offset: Int64 = 0) -> Timestamp { Timestamp(millisecondsSince1970: 1_795_515_330_000 + offset) }

    static func conversation(
        _ participants: [(String, ParticipantRole)] = [("buyer1", .buyer), ("seller1", .seller)], orderID: String? = "o1",
        productID: String? = nil, labels: [String] = [], priority: Priority = .medium, at offset: Int64 = 0,
        firstMessage: NewMessage? = nil
    ) -> NewConversation {
        let people = participants.map { Participant(userID: $0.0, role: $0.1) }
        return NewConversation(
            conversationID: Identifier.make(prefix: "c"),
            threadKey: ThreadKey.make(participantIDs: people.map(\.userID), productID: productID, orderID: orderID),
            participants: people, productID: productID, orderID: orderID, subject: nil, labels: labels,
            priority: priority, now: time(offset), firstMessage: firstMessage)
    }

    static func message(
        _ conversationID: String, from sender: String = "buyer1", _ content: String = "hola", clientID: String? = nil,
        at offset: Int64 = 0
    ) -> NewMessage {
        NewMessage(
            messageID: Identifier.make(prefix: "m"), conversationID: conversationID, senderID: sender, content: content,
            type: .text, clientMessageID: clientID, now: time(offset))
    }
}
