import GRDB
import ParleyCore

/// Rows to domain values: the shared records (`ConversationRecord`, `MessageRecord`…)
/// check every stored value, so a bad one throws `StoredValueError` instead of becoming
/// a default.
extension SQLiteConversationStore {
    static func loadConversation(id: String, in database: Database) throws -> Conversation? {
        guard
            let row = try ConversationRow.fetchOne(
                try database.cachedStatement(sql: "SELECT * FROM conversations WHERE id = ?"), arguments: [id])
        else { return nil }
        return try conversation(from: row.record, in: database)
    }

    /// `record` with its participants, in participant order.
    static func conversation(from record: ConversationRecord, in database: Database) throws -> Conversation {
        let participants = try ParticipantRow.fetchAll(
            try database.cachedStatement(
                sql: """
                    SELECT p.user_id, p.role, s.last_seen FROM participants p
                    LEFT JOIN user_states s ON s.conversation_id = p.conversation_id AND s.user_id = p.user_id
                    WHERE p.conversation_id = ? ORDER BY p.position
                    """),
            arguments: [record.id])
        return try record.conversation(participants: participants.map(\.record))
    }

    static func view(of conversation: Conversation, for userID: String, in database: Database) throws -> ConversationView {
        let state =
            try UserStateRow.fetchOne(
                try database.cachedStatement(
                    sql: "SELECT read_seq, archived FROM user_states WHERE conversation_id = ? AND user_id = ?"),
                arguments: [conversation.conversationID, userID])?.state ?? .untouched
        var lastMessage: Message?
        if conversation.lastSeq > 0,
            let row = try MessageRow.fetchOne(
                try database.cachedStatement(sql: "SELECT * FROM messages WHERE conversation_id = ? AND seq = ?"),
                arguments: [conversation.conversationID, conversation.lastSeq])
        {
            let readers = try readPositions(conversationID: conversation.conversationID, in: database)
            lastMessage = try row.record.message(readPositions: readers)
        }
        return state.view(of: conversation, lastMessage: lastMessage)
    }

    /// Messages from rows of several conversations, each with its `readBy`.
    static func messages(from rows: [MessageRow], in database: Database) throws -> [Message] {
        var readers: [String: ReadPositions] = [:]
        return try rows.map { row in
            let conversationID = row.record.conversationID
            if readers[conversationID] == nil {
                readers[conversationID] = try readPositions(conversationID: conversationID, in: database)
            }
            return try row.record.message(readPositions: readers[conversationID] ?? ReadPositions())
        }
    }

    /// The same, each with its position (the query must select `rowid AS position`).
    static func positionedMessages(from rows: [MessageRow], in database: Database) throws -> [PositionedMessage] {
        let messages = try messages(from: rows, in: database)
        return try zip(rows, messages).map { row, message in
            PositionedMessage(message: message, position: try row.requirePosition())
        }
    }

    /// Each participant's read position, in participant order.
    static func readPositions(conversationID: String, in database: Database) throws -> ReadPositions {
        let rows = try ReadPositionRow.fetchAll(
            try database.cachedStatement(
                sql: """
                    SELECT p.user_id, coalesce(s.read_seq, 0) AS read_seq FROM participants p
                    LEFT JOIN user_states s ON s.conversation_id = p.conversation_id AND s.user_id = p.user_id
                    WHERE p.conversation_id = ? ORDER BY p.position
                    """),
            arguments: [conversationID])
        return ReadPositions(rows.map { ReadPositions.Entry(userID: $0.userID, seq: $0.readSeq) })
    }
}
