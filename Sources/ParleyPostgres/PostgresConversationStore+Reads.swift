import Logging
import ParleyCore
import PostgresNIO

/// Reads: each on a pooled connection, within `readDeadline`.
extension PostgresConversationStore {
    public func conversation(id: String) async throws -> Conversation? {
        try await read { connection, logger in try await Self.loadConversation(id: id, on: connection, logger: logger) }
    }

    public func conversationView(id: String, for userID: String) async throws -> ConversationView? {
        try await read { connection, logger in
            try await Self.views(ids: [id], for: userID, on: connection, logger: logger).first
        }
    }

    public func messages(conversationID: String, page: MessagePageRequest) async throws -> MessagePage {
        let window = MessagePageWindow(page)
        return try await read { connection, logger in
            let limit = Int64(window.fetchLimit)
            let query: PostgresQuery
            switch window.anchor {
            case .newest:
                query = """
                    SELECT \(unescaped: Self.messageColumns) FROM messages m WHERE m.conversation_id = \(conversationID)
                    ORDER BY m.seq DESC LIMIT \(limit)
                    """
            case .before(let seq):
                query = """
                    SELECT \(unescaped: Self.messageColumns) FROM messages m
                    WHERE m.conversation_id = \(conversationID) AND m.seq < \(seq) ORDER BY m.seq DESC LIMIT \(limit)
                    """
            case .after(let seq):
                query = """
                    SELECT \(unescaped: Self.messageColumns) FROM messages m
                    WHERE m.conversation_id = \(conversationID) AND m.seq > \(seq) ORDER BY m.seq ASC LIMIT \(limit)
                    """
            }
            let (rows, hasMore) = window.page(fromRowsAsRead: try await connection.query(query, logger: logger).all())
            return MessagePage(
                messages: try await Self.positionedMessages(from: rows, on: connection, logger: logger).map(\.message),
                hasMore: hasMore)
        }
    }

    /// A resume page (`ResumeWindow`): the user's conversations with a message after the
    /// cursor, then their messages between the cursor and the newest of them.
    public func messages(after position: Int64, visibleTo userID: String, limit: Int) async throws -> [PositionedMessage] {
        try await read { connection, logger in
            var active: [ResumeWindow.ActiveConversation] = []
            for row in try await connection.query(
                """
                SELECT id, last_seq, last_position FROM conversations
                WHERE last_position > \(position) AND id IN (
                    SELECT conversation_id FROM participants WHERE user_id = \(userID)
                    UNION SELECT id FROM conversations WHERE assigned_to = \(userID))
                """, logger: logger
            ).all() {
                let id: String = try row.stored("id", of: "conversations")
                active.append(
                    ResumeWindow.ActiveConversation(
                        id: id, lastSeq: try row.stored("last_seq", of: "conversations", row: "conversation \(id)"),
                        lastPosition: try row.stored("last_position", of: "conversations", row: "conversation \(id)")))
            }
            guard let window = ResumeWindow(after: position, active: active) else { return [] }
            // Concatenating an empty string keeps the planner from driving the walk by
            // the conversation index.
            let conversation: SQLFragment = window.walksPositions ? "(m.conversation_id || '')" : "m.conversation_id"
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.messageColumns) FROM messages m
                WHERE \(conversation) = ANY(\(window.conversationIDs)) AND m.position > \(window.after)
                  AND m.position <= \(window.through)
                ORDER BY m.position LIMIT \(Int64(limit))
                """, logger: logger
            ).all()
            return try await Self.positionedMessages(from: rows, on: connection, logger: logger)
        }
    }

    public func messages(inPositions range: ClosedRange<Int64>, limit: Int) async throws -> [PositionedMessage] {
        try await read { connection, logger in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.messageColumns) FROM messages m
                WHERE m.position BETWEEN \(range.lowerBound) AND \(range.upperBound) ORDER BY m.position LIMIT \(Int64(limit))
                """, logger: logger
            ).all()
            return try await Self.positionedMessages(from: rows, on: connection, logger: logger)
        }
    }

    public func latestPosition() async throws -> Int64 {
        try await read { connection, logger in try await Self.latestPosition(on: connection, logger: logger) }
    }

    /// The newest position handed out, 0 before the first message.
    static func latestPosition(on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        try await connection.query("SELECT last FROM parley_position WHERE id = 1", logger: logger)
            .all().first?["last", as: Int64.self] ?? 0
    }

    public func relatedUsers(of userID: String, limit: Int) async throws -> [String] {
        try await read { connection, logger in
            try await connection.query(
                """
                WITH mine AS (
                    SELECT conversation_id AS id FROM participants WHERE user_id = \(userID)
                    UNION SELECT id FROM conversations WHERE assigned_to = \(userID))
                SELECT user_id FROM participants WHERE conversation_id IN (SELECT id FROM mine) AND user_id <> \(userID)
                UNION
                SELECT assigned_to FROM conversations
                WHERE id IN (SELECT id FROM mine) AND assigned_to IS NOT NULL AND assigned_to <> \(userID)
                LIMIT \(Int64(limit))
                """, logger: logger
            ).all().map { try $0["user_id", as: String.self] }
        }
    }

    public func isSupportAgent(_ userID: String) async throws -> Bool {
        try await read { connection, logger in
            try await connection.query(
                "SELECT 1 AS known FROM support_agents WHERE user_id = \(userID)", logger: logger
            ).all().first != nil
        }
    }

    public func checkReady() async throws {
        _ = try await read(deadline: Self.readinessDeadline) { connection, logger in
            try await connection.query("SELECT 1", logger: logger).all().count
        }
    }
}
