import Foundation
import ParleyCore
import PostgresNIO

/// Search over the `tsvector` of analysed text (`TextAnalyzer`, as SQLite indexes it),
/// within `SearchWindow`.
extension PostgresConversationStore {
    public func search(_ query: SearchQuery) async throws -> SearchPage {
        guard !query.terms.isEmpty else { return SearchPage(messages: [], hasMore: false) }
        let window = SearchWindow(query)
        return try await read { connection, logger in
            let tsquery: SQLFragment = "\(Self.tsquery(query.terms))::tsquery"
            var conditions: [SQLFragment] = ["m.search @@ \(tsquery)"]
            if !query.viewerSeesEverything {
                conditions.append("m.conversation_id IN (SELECT conversation_id FROM participants WHERE user_id = \(query.viewerID))")
            }
            if let conversationID = query.conversationID { conditions.append("m.conversation_id = \(conversationID)") }
            if let senderID = query.senderID { conditions.append("m.sender_id = \(senderID)") }
            if let from = query.from { conditions.append("m.created_at >= \(from.millisecondsSince1970)") }
            if let to = query.to { conditions.append("m.created_at <= \(to.millisecondsSince1970)") }
            let rows = try await connection.query(
                """
                SELECT * FROM (
                    SELECT \(unescaped: Self.messageColumns), ts_rank(m.search, \(tsquery)) AS score FROM messages m
                    WHERE \(conditions, joinedBy: " AND ")
                    ORDER BY m.position DESC LIMIT \(Int64(SearchWindow.newestMatches))) newest
                ORDER BY score DESC, position DESC
                LIMIT \(Int64(window.fetchLimit)) OFFSET \(Int64(window.offset))
                """, logger: logger
            ).all()
            let (pageRows, hasMore) = window.page(fromRows: rows)
            let messages = try await Self.positionedMessages(from: pageRows, on: connection, logger: logger).map(\.message)
            return SearchPage(messages: messages, hasMore: hasMore)
        }
    }

    /// The query's terms as a `tsquery`: every term must match; a term matches any of its
    /// alternatives (stems), or any word it begins (a prefix term).
    static func tsquery(_ terms: [QueryTerm]) -> String {
        func lexeme(_ text: String) -> String {
            "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
        }
        return terms.map { term in
            term.isPrefix
                ? lexeme(term.alternatives[0]) + ":*"
                : "(" + term.alternatives.map(lexeme).joined(separator: " | ") + ")"
        }.joined(separator: " & ")
    }
}
