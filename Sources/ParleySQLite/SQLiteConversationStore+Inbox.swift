import GRDB
import ParleyCore

/// Inbox pages: `InboxPage`'s two parts in SQL, read in one snapshot.
extension SQLiteConversationStore {
    public func listConversations(_ query: ConversationQuery) async throws -> ConversationListPage {
        try await pool.read { database in
            let page = InboxPage(query, snapshot: try query.cursor?.snapshot ?? Self.latestPosition(in: database))
            var candidates: [InboxRow] = []
            for part in InboxPage.Part.allCases {
                candidates += try Self.read(part, of: page, in: database)
            }
            let (rows, nextCursor) = page.select(candidates) { $0.entry }
            var views: [ConversationView] = []
            for row in rows {
                let conversation = try Self.conversation(from: row.conversation, in: database)
                views.append(try Self.view(of: conversation, for: page.viewerID, in: database))
            }
            return ConversationListPage(conversations: views, nextCursor: nextCursor)
        }
    }

    /// One part of an inbox page: at most `fetchLimit` conversations after the page's
    /// cursor, each with its `sort_at`.
    private static func read(_ part: InboxPage.Part, of page: InboxPage, in database: Database) throws -> [InboxRow] {
        var joins = "LEFT JOIN user_states s ON s.conversation_id = c.id AND s.user_id = ?"
        var filter = SQLFilter(arguments: [page.viewerID])
        if let participantID = page.participantID {
            joins += " JOIN participants p ON p.conversation_id = c.id AND p.user_id = ?"
            filter.arguments += [participantID]
        }
        for condition in page.filters {
            switch condition {
            case .archived(let archived): filter.add("coalesce(s.archived, 0) = ?", archived)
            case .status(let status): filter.add("c.status = ?", status.rawValue)
            case .label(let label): filter.add("EXISTS (SELECT 1 FROM json_each(c.labels) WHERE json_each.value = ?)", label)
            case .priority(let priority): filter.add("c.priority = ?", priority.rawValue)
            case .assignedTo(let userID): filter.add("c.assigned_to = ?", userID)
            case .unassigned: filter.conditions.append("c.assigned_to IS NULL")
            case .productID(let productID): filter.add("c.product_id = ?", productID)
            case .orderID(let orderID): filter.add("c.order_id = ?", orderID)
            case .escalated(let escalated):
                filter.conditions.append(escalated ? "c.escalation IS NOT NULL" : "c.escalation IS NULL")
            }
        }
        // Conversations created after the snapshot wait for the next refresh.
        filter.add("c.created_position <= ?", page.snapshot)
        switch part {
        case .unchangedSinceSnapshot:
            // The keyset on the column itself, so the activity index drives the walk.
            filter.add("c.last_position <= ?", page.snapshot)
            if let cursor = page.after {
                let milliseconds = cursor.lastActivityAt.millisecondsSince1970
                filter.conditions.append("(c.last_activity_at < ? OR (c.last_activity_at = ? AND c.id < ?))")
                filter.arguments += [milliseconds, milliseconds, cursor.conversationID]
            }
            return try InboxRow.fetchAll(
                try database.cachedStatement(
                    sql: """
                        SELECT c.*, c.last_activity_at AS sort_at FROM conversations c \(joins)
                        WHERE \(filter.conditions.joined(separator: " AND "))
                        ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ?
                        """),
                arguments: filter.arguments + [page.fetchLimit])
        case .changedSinceSnapshot:
            filter.add("c.last_position > ?", page.snapshot)
            var keyset = "1"
            var keysetArguments: StatementArguments = []
            if let cursor = page.after {
                let milliseconds = cursor.lastActivityAt.millisecondsSince1970
                keyset = "(sort_at < ? OR (sort_at = ? AND id < ?))"
                keysetArguments = [milliseconds, milliseconds, cursor.conversationID]
            }
            return try InboxRow.fetchAll(
                try database.cachedStatement(
                    sql: """
                        SELECT * FROM (
                            SELECT c.*, coalesce(
                                (SELECT m.created_at FROM messages m WHERE m.conversation_id = c.id AND m.rowid <= ?
                                 ORDER BY m.seq DESC LIMIT 1), c.created_at) AS sort_at
                            FROM conversations c \(joins)
                            WHERE \(filter.conditions.joined(separator: " AND ")))
                        WHERE \(keyset)
                        ORDER BY sort_at DESC, id DESC LIMIT ?
                        """),
                arguments: [page.snapshot] + filter.arguments + keysetArguments + [page.fetchLimit])
        }
    }
}
