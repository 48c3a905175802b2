import Foundation
import Logging
import ParleyCore
import PostgresNIO

/// Rows to domain values: the shared records (`ConversationRecord`, `MessageRecord`…)
/// check every stored value, so a bad one throws `StoredValueError` instead of becoming
/// a default.
extension PostgresConversationStore {
    static let messageColumns =
        "m.position, m.conversation_id, m.seq, m.id, m.sender_id, m.content, m.type, m.client_message_id, m.created_at, m.annotations"

    static func loadConversation(
        id: String, on connection: PostgresConnection, lock: Bool = false, logger: Logger
    ) async throws -> Conversation? {
        let rows =
            lock
            ? try await connection.execute(LoadConversationForUpdate(id: id), logger: logger)
            : try await connection.execute(LoadConversation(id: id), logger: logger)
        var found: Columns?
        for try await row in rows { found = row }
        return try found.map(conversation(from:))
    }

    /// A row of `ConversationSelect` as a conversation.
    static func conversation(from row: Columns) throws -> Conversation {
        let id: String = try row.stored("id", of: "conversations")
        let key = "conversation \(id)"
        let record = ConversationRecord(
            id: id,
            productID: try row.stored("product_id", of: "conversations", row: key),
            orderID: try row.stored("order_id", of: "conversations", row: key),
            subject: try row.stored("subject", of: "conversations", row: key),
            status: try row.stored("status", of: "conversations", row: key),
            labels: try row.stored("labels", of: "conversations", row: key),
            priority: try row.stored("priority", of: "conversations", row: key),
            assignedTo: try row.stored("assigned_to", of: "conversations", row: key),
            createdAt: try row.stored("created_at", of: "conversations", row: key),
            lastActivityAt: try row.stored("last_activity_at", of: "conversations", row: key),
            lastSeq: try row.stored("last_seq", of: "conversations", row: key),
            escalation: try row.stored("escalation", of: "conversations", row: key),
            ticket: try row.stored("ticket", of: "conversations", row: key),
            encryption: try row.stored("encryption", of: "conversations", row: key))
        return try record.conversation(participants: try participants(fromPeople: try row.stored("people", of: "participants", row: key), of: id))
    }

    /// The participants of `ConversationSelect`'s `people`: a JSON array of
    /// `[user_id, role, last_seen]`, in participant order.
    private static func participants(
        fromPeople text: String, of conversationID: String
    ) throws(StoredValueError)
        -> [ParticipantRecord]
    {
        let bad = StoredValueError(column: "participants", row: "conversation \(conversationID)", value: text)
        guard let people = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[Any]] else { throw bad }
        var participants: [ParticipantRecord] = []
        participants.reserveCapacity(people.count)
        for entry in people {
            guard entry.count == 3, let userID = entry[0] as? String, let role = entry[1] as? String else { throw bad }
            let lastSeen: Int64?
            if entry[2] is NSNull {
                lastSeen = nil
            } else if let number = entry[2] as? NSNumber {
                lastSeen = number.int64Value
            } else {
                throw bad
            }
            participants.append(ParticipantRecord(userID: userID, role: role, lastSeen: lastSeen))
        }
        return participants
    }

    /// The conversations `ids` as `userID` sees them, in the order of `ids`: four queries
    /// for a whole inbox page.
    static func views(
        ids: [String], for userID: String, on connection: PostgresConnection, logger: Logger
    )
        async throws -> [ConversationView]
    {
        guard !ids.isEmpty else { return [] }
        var conversations: [String: Conversation] = [:]
        for row in try await connection.query(
            "\(unescaped: ConversationSelect.columns) WHERE c.id = ANY(\(ids))", logger: logger
        ).all() {
            let conversation = try conversation(from: row)
            conversations[conversation.conversationID] = conversation
        }
        var states: [String: ConversationUserState] = [:]
        for row in try await connection.query(
            """
            SELECT conversation_id, read_seq, archived FROM user_states
            WHERE user_id = \(userID) AND conversation_id = ANY(\(ids))
            """, logger: logger
        ).all() {
            let conversationID: String = try row.stored("conversation_id", of: "user_states")
            let key = "conversation \(conversationID), user \(userID)"
            states[conversationID] = ConversationUserState(
                readSeq: try row.stored("read_seq", of: "user_states", row: key),
                archived: try row.stored("archived", of: "user_states", row: key))
        }
        let lastRows = try await connection.query(
            """
            SELECT \(unescaped: messageColumns) FROM conversations c
            JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
            WHERE c.id = ANY(\(ids))
            """, logger: logger
        ).all()
        let readers = try await readPositions(conversationIDs: ids, on: connection, logger: logger)
        var lastMessages: [String: Message] = [:]
        for row in lastRows {
            let record = try messageRecord(from: row)
            lastMessages[record.conversationID] = try record.message(readPositions: readers[record.conversationID] ?? ReadPositions())
        }
        return ids.compactMap { id in
            guard let conversation = conversations[id] else { return nil }
            return (states[id] ?? .untouched).view(of: conversation, lastMessage: lastMessages[id])
        }
    }

    /// Each participant's read position, in participant order, for several conversations.
    static func readPositions(
        conversationIDs: [String], on connection: PostgresConnection, logger: Logger
    )
        async throws -> [String: ReadPositions]
    {
        var positions: [String: ReadPositions] = [:]
        for row in try await connection.query(
            """
            SELECT p.conversation_id, p.user_id, coalesce(s.read_seq, 0) AS read_seq FROM participants p
            LEFT JOIN user_states s ON s.conversation_id = p.conversation_id AND s.user_id = p.user_id
            WHERE p.conversation_id = ANY(\(conversationIDs)) ORDER BY p.conversation_id, p.position
            """, logger: logger
        ).all() {
            let conversationID: String = try row.stored("conversation_id", of: "participants")
            let userID: String = try row.stored("user_id", of: "participants", row: "conversation \(conversationID)")
            positions[conversationID, default: ReadPositions()].append(
                userID: userID,
                seq: try row.stored("read_seq", of: "user_states", row: "conversation \(conversationID), user \(userID)"))
        }
        return positions
    }

    /// Messages (rows of `messageColumns`) of several conversations, each with its
    /// `readBy` and position.
    static func positionedMessages(
        from rows: [Columns], on connection: PostgresConnection, logger: Logger
    )
        async throws -> [PositionedMessage]
    {
        guard !rows.isEmpty else { return [] }
        let records = try rows.map { row in (try messageRecord(from: row), try row.stored("position", of: "messages") as Int64) }
        let readers = try await readPositions(
            conversationIDs: Array(Set(records.map(\.0.conversationID))), on: connection, logger: logger)
        return try records.map { record, position in
            PositionedMessage(
                message: try record.message(readPositions: readers[record.conversationID] ?? ReadPositions()),
                position: position)
        }
    }

    private static func messageRecord(from row: Columns) throws(StoredValueError) -> MessageRecord {
        let id: String = try row.stored("id", of: "messages")
        let key = "message \(id)"
        return MessageRecord(
            id: id,
            conversationID: try row.stored("conversation_id", of: "messages", row: key),
            seq: try row.stored("seq", of: "messages", row: key),
            senderID: try row.stored("sender_id", of: "messages", row: key),
            content: try row.stored("content", of: "messages", row: key),
            type: try row.stored("type", of: "messages", row: key),
            clientMessageID: try row.stored("client_message_id", of: "messages", row: key),
            createdAt: try row.stored("created_at", of: "messages", row: key),
            annotations: try row.stored("annotations", of: "messages", row: key))
    }
}
