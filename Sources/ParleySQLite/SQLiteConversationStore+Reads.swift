import Foundation
import GRDB
import ParleyCore

/// Reads: each on a snapshot of the database (WAL readers run beside the writer).
extension SQLiteConversationStore {
    public func conversation(id: String) async throws -> Conversation? {
        try await pool.read { database in try Self.loadConversation(id: id, in: database) }
    }

    public func conversationView(id: String, for userID: String) async throws -> ConversationView? {
        try await pool.read { database in
            guard let conversation = try Self.loadConversation(id: id, in: database) else { return nil }
            return try Self.view(of: conversation, for: userID, in: database)
        }
    }

    public func messages(conversationID: String, page: MessagePageRequest) async throws -> MessagePage {
        let window = MessagePageWindow(page)
        return try await pool.read { database in
            let rows: [MessageRow] =
                switch window.anchor {
                case .newest:
                    try MessageRow.fetchAll(
                        try database.cachedStatement(
                            sql: "SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?"),
                        arguments: [conversationID, window.fetchLimit])
                case .before(let seq):
                    try MessageRow.fetchAll(
                        try database.cachedStatement(
                            sql: "SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"),
                        arguments: [conversationID, seq, window.fetchLimit])
                case .after(let seq):
                    try MessageRow.fetchAll(
                        try database.cachedStatement(
                            sql: "SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq ASC LIMIT ?"),
                        arguments: [conversationID, seq, window.fetchLimit])
                }
            let (pageRows, hasMore) = window.page(fromRowsAsRead: rows)
            let readers = try Self.readPositions(conversationID: conversationID, in: database)
            return MessagePage(messages: try pageRows.map { try $0.record.message(readPositions: readers) }, hasMore: hasMore)
        }
    }

    /// A resume page (`ResumeWindow`): the user's conversations with a message after the
    /// cursor, then their messages between the cursor and the newest of them.
    public func messages(after position: Int64, visibleTo userID: String, limit: Int) async throws -> [PositionedMessage] {
        try await pool.read { database in
            let active = try ActiveConversationRow.fetchAll(
                try database.cachedStatement(
                    sql: """
                        SELECT id, last_seq, last_position FROM conversations
                        WHERE last_position > ? AND id IN (
                            SELECT conversation_id FROM participants WHERE user_id = ?
                            UNION SELECT id FROM conversations WHERE assigned_to = ?)
                        """),
                arguments: [position, userID, userID])
            guard let window = ResumeWindow(after: position, active: active.map(\.conversation)) else { return [] }
            let ids = String(decoding: try JSONEncoder().encode(window.conversationIDs), as: UTF8.self)
            // `+` keeps SQLite from driving the walk by the conversation index.
            let sql =
                window.walksPositions
                ? """
                SELECT m.rowid AS position, m.* FROM messages m
                WHERE +m.conversation_id IN (SELECT value FROM json_each(?)) AND m.rowid > ? AND m.rowid <= ?
                ORDER BY m.rowid LIMIT ?
                """
                : """
                SELECT m.rowid AS position, m.* FROM messages m
                WHERE m.conversation_id IN (SELECT value FROM json_each(?)) AND m.rowid > ? AND m.rowid <= ?
                ORDER BY m.rowid LIMIT ?
                """
            let rows = try MessageRow.fetchAll(
                try database.cachedStatement(sql: sql), arguments: [ids, window.after, window.through, limit])
            return try Self.positionedMessages(from: rows, in: database)
        }
    }

    public func messages(inPositions range: ClosedRange<Int64>, limit: Int) async throws -> [PositionedMessage] {
        try await pool.read { database in
            let rows = try MessageRow.fetchAll(
                try database.cachedStatement(
                    sql: "SELECT m.rowid AS position, m.* FROM messages m WHERE m.rowid BETWEEN ? AND ? ORDER BY m.rowid LIMIT ?"),
                arguments: [range.lowerBound, range.upperBound, limit])
            return try Self.positionedMessages(from: rows, in: database)
        }
    }

    public func latestPosition() async throws -> Int64 {
        try await pool.read { database in try Self.latestPosition(in: database) }
    }

    /// The newest message position (its rowid), 0 when there is none.
    static func latestPosition(in database: Database) throws -> Int64 {
        try Int64.fetchOne(try database.cachedStatement(sql: "SELECT coalesce(max(rowid), 0) FROM messages")) ?? 0
    }

    public func relatedUsers(of userID: String, limit: Int) async throws -> [String] {
        try await pool.read { database in
            try String.fetchAll(
                try database.cachedStatement(
                    sql: """
                        WITH mine AS (
                            SELECT conversation_id FROM participants WHERE user_id = ?
                            UNION SELECT id FROM conversations WHERE assigned_to = ?)
                        SELECT user_id FROM participants WHERE conversation_id IN mine AND user_id != ?
                        UNION
                        SELECT assigned_to FROM conversations WHERE id IN mine AND assigned_to IS NOT NULL AND assigned_to != ?
                        LIMIT ?
                        """),
                arguments: [userID, userID, userID, userID, limit])
        }
    }

    public func isSupportAgent(_ userID: String) async throws -> Bool {
        try await pool.read { database in
            try Bool.fetchOne(
                try database.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM support_agents WHERE user_id = ?)"),
                arguments: [userID]) ?? false
        }
    }

    public func checkReady() async throws {
        _ = try await pool.read { database in try Int.fetchOne(try database.cachedStatement(sql: "SELECT 1")) }
    }
}
