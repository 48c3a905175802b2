import Foundation
import Logging
import ParleyCore
import ParleyPostgres
import ParleySQLite
import ParleyTestSupport
import ServiceLifecycle

/// Every store the suite runs against; each test is written once and runs against all
/// of them. PostgreSQL needs `PARLEY_TEST_POSTGRES_URL` (scripts/test.sh sets it).
enum StoreKind: String, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    var description: String { rawValue }

    /// Opens a fresh, empty store, runs its services while `body` runs, then stops them.
    func withStore<T: Sendable>(_ body: @Sendable (any ConversationStore) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-store-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            var logger = Logger(label: "test")
            logger.logLevel = .error
            let store = try SQLiteConversationStore(path: folder.appendingPathComponent("db.sqlite").path, logger: logger)
            return try await running(store, logger: logger, body)
        case .postgres:
            var logger = Logger(label: "test")
            logger.logLevel = .error
            return try await ThrowawayPostgres.withDatabase { url in
                let store = try await PostgresConversationStore(location: PostgresLocation(url)!, logger: logger)
                return try await running(store, logger: logger, body)
            }
        }
    }

    private func running<S: ConversationStore & Service, T: Sendable>(
        _ store: S, logger: Logger, _ body: @Sendable (any ConversationStore) async throws -> T
    ) async throws -> T {
        try await withRunningServices([store], logger: logger) { try await body(store) }
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
