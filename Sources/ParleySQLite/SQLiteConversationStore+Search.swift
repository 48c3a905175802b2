import GRDB
import ParleyCore

/// Search over the FTS5 index of analysed text (`SearchIndexText`), within `SearchWindow`,
/// after indexing what was committed and not indexed yet (`SearchIndexer`).
extension SQLiteConversationStore {
    public func search(_ query: SearchQuery) async throws -> SearchPage {
        guard !query.terms.isEmpty else { return SearchPage(messages: [], hasMore: false) }
        let wordsMatch = query.terms.map { term in
            term.isPrefix
                ? "\"\(term.alternatives[0])\"*"
                : "(" + term.alternatives.map { "\"\($0)\"" }.joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
        let window = SearchWindow(query)
        // A send that returned is found: one read when nothing is pending.
        try await indexer.catchUp(maxBatches: SearchIndexer.maxSearchCatchUpBatches)
        return try await pool.read { database in
            var match = wordsMatch
            var filter = SQLFilter()
            // The conversations to search, as index tokens, when they are few.
            var scope: [String]?
            if let conversationID = query.conversationID {
                // The filter narrows the viewer's scope, never replaces it: an outsider
                // naming a conversation finds nothing in it.
                if !query.viewerSeesEverything {
                    let visible =
                        try Bool.fetchOne(
                            try database.cachedStatement(
                                sql: "SELECT EXISTS (SELECT 1 FROM participants WHERE conversation_id = ? AND user_id = ?)"),
                            arguments: [conversationID, query.viewerID]) ?? false
                    if !visible { return SearchPage(messages: [], hasMore: false) }
                }
                scope = [conversationID]
            } else if !query.viewerSeesEverything {
                let visible = try String.fetchAll(
                    try database.cachedStatement(sql: "SELECT conversation_id FROM participants WHERE user_id = ? LIMIT ?"),
                    arguments: [query.viewerID, SearchIndexText.maxConversationTokens + 1])
                if visible.count <= SearchIndexText.maxConversationTokens {
                    scope = visible
                } else {
                    filter.conditions.append("m.conversation_id IN (SELECT conversation_id FROM participants WHERE user_id = ?)")
                    filter.arguments += [query.viewerID]
                }
            }
            if let scope {
                if scope.isEmpty { return SearchPage(messages: [], hasMore: false) }
                match += " AND (" + scope.map { "\"\(SearchIndexText.conversationToken($0))\"" }.joined(separator: " OR ") + ")"
            }
            filter.add("message_search MATCH ?", match)
            filter.add("m.conversation_id = ?", query.conversationID)
            filter.add("m.sender_id = ?", query.senderID)
            filter.add("m.created_at >= ?", query.from?.millisecondsSince1970)
            filter.add("m.created_at <= ?", query.to?.millisecondsSince1970)
            // The index is walked newest first and stops after the window; those matches
            // are ranked best first.
            let rows = try MessageRow.fetchAll(
                try database.cachedStatement(
                    sql: """
                        SELECT * FROM (
                            SELECT m.*, bm25(message_search) AS score
                            FROM message_search JOIN messages m ON m.rowid = message_search.rowid
                            WHERE \(filter.conditions.joined(separator: " AND "))
                            ORDER BY message_search.rowid DESC LIMIT ?)
                        ORDER BY score, rowid DESC
                        LIMIT ? OFFSET ?
                        """),
                arguments: filter.arguments + [SearchWindow.newestMatches, window.fetchLimit, window.offset])
            let (pageRows, hasMore) = window.page(fromRows: rows)
            return SearchPage(messages: try Self.messages(from: pageRows, in: database), hasMore: hasMore)
        }
    }
}
