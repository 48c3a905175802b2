import Logging
import ParleyCore
import PostgresNIO

/// Inbox pages: `InboxPage`'s two parts in SQL, then the page's conversations in four
/// queries (`views(ids:for:on:logger:)`).
extension PostgresConversationStore {
    public func listConversations(_ query: ConversationQuery) async throws -> ConversationListPage {
        try await read { connection, logger in
            let snapshot: Int64
            if let cursor = query.cursor {
                snapshot = cursor.snapshot
            } else {
                snapshot = try await Self.latestPosition(on: connection, logger: logger)
            }
            let page = InboxPage(query, snapshot: snapshot)
            var candidates: [InboxEntry] = []
            for part in InboxPage.Part.allCases {
                candidates += try await Self.read(part, of: page, on: connection, logger: logger)
            }
            let (entries, nextCursor) = page.select(candidates) { $0 }
            try Task.checkCancellation()
            let views = try await Self.views(
                ids: entries.map(\.conversationID), for: page.viewerID, on: connection, logger: logger)
            return ConversationListPage(conversations: views, nextCursor: nextCursor)
        }
    }

    /// One part of an inbox page: at most `fetchLimit` conversations after the page's
    /// cursor, each with its place.
    private static func read(
        _ part: InboxPage.Part, of page: InboxPage, on connection: PostgresConnection, logger: Logger
    )
        async throws -> [InboxEntry]
    {
        var conditions: [SQLFragment] = []
        for filter in page.filters {
            switch filter {
            case .archived(let archived): conditions.append("coalesce(s.archived, false) = \(archived)")
            case .status(let status): conditions.append("c.status = \(status.rawValue)")
            case .label(let label): conditions.append("c.labels @> jsonb_build_array(\(label)::text)")
            case .priority(let priority): conditions.append("c.priority = \(priority.rawValue)")
            case .assignedTo(let userID): conditions.append("c.assigned_to = \(userID)")
            case .unassigned: conditions.append("c.assigned_to IS NULL")
            case .productID(let productID): conditions.append("c.product_id = \(productID)")
            case .orderID(let orderID): conditions.append("c.order_id = \(orderID)")
            case .escalated(let escalated):
                conditions.append(escalated ? "c.escalation IS NOT NULL" : "c.escalation IS NULL")
            }
        }
        // Conversations created after the snapshot wait for the next refresh.
        conditions.append("c.created_position <= \(page.snapshot)")
        let sortAt: SQLFragment
        switch part {
        case .unchangedSinceSnapshot:
            conditions.append("c.last_position <= \(page.snapshot)")
            sortAt = "c.last_activity_at"
        case .changedSinceSnapshot:
            conditions.append("c.last_position > \(page.snapshot)")
            sortAt = """
                coalesce((SELECT m.created_at FROM messages m WHERE m.conversation_id = c.id AND m.position <= \(page.snapshot)
                          ORDER BY m.seq DESC LIMIT 1), c.created_at)
                """
        }
        let participant: SQLFragment =
            page.participantID.map { "JOIN participants p ON p.conversation_id = c.id AND p.user_id = \($0)" } ?? ""
        var keyset: SQLFragment = "true"
        if let cursor = page.after {
            let at = cursor.lastActivityAt.millisecondsSince1970
            keyset = "(sort_at < \(at) OR (sort_at = \(at) AND id < \(cursor.conversationID)))"
        }
        var entries: [InboxEntry] = []
        for row in try await connection.query(
            """
            SELECT sort_at, id FROM (
                SELECT c.id, \(sortAt) AS sort_at FROM conversations c
                LEFT JOIN user_states s ON s.conversation_id = c.id AND s.user_id = \(page.viewerID) \(participant)
                WHERE \(conditions, joinedBy: " AND ")) candidates
            WHERE \(keyset)
            ORDER BY sort_at DESC, id DESC LIMIT \(Int64(page.fetchLimit))
            """, logger: logger
        ).all() {
            let id: String = try row.stored("id", of: "conversations")
            let sortAt: Int64 = try row.stored("sort_at", of: "conversations", row: "conversation \(id)")
            entries.append(InboxEntry(activityAt: Timestamp(millisecondsSince1970: sortAt), conversationID: id))
        }
        return entries
    }
}
