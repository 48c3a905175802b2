import Foundation
import GRDB
import ParleyCore

/// Templates, FAQ entries, verdicts and assist settings (`AssistStore`). An FAQ change
/// appends its audit leaf in its own savepoint (`appendAuditRecords`).
extension SQLiteConversationStore: AssistStore {
    public func saveTemplate(_ template: MessageTemplate) async throws {
        let record = TemplateRecord(template)
        try await writer.write { database in
            try database.cachedStatement(
                sql: """
                    INSERT INTO templates (id, scope, owner_id, name, shortcut, language, content, variables, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET scope = excluded.scope, owner_id = excluded.owner_id,
                        name = excluded.name, shortcut = excluded.shortcut, language = excluded.language,
                        content = excluded.content, variables = excluded.variables, updated_at = excluded.updated_at
                    """
            ).execute(arguments: [
                record.id, record.scope, record.ownerID, record.name, record.shortcut, record.language, record.content,
                record.variables, record.createdAt, record.updatedAt,
            ])
        }
    }

    public func template(id: String) async throws -> MessageTemplate? {
        try await pool.read { database in
            try Self.templates(in: database, sql: "SELECT * FROM templates WHERE id = ?", arguments: [id]).first
        }
    }

    public func deleteTemplate(id: String) async throws -> Bool {
        try await writer.write { database in
            try database.cachedStatement(sql: "DELETE FROM templates WHERE id = ?").execute(arguments: [id])
            return database.changesCount > 0
        }
    }

    public func templates(ownedBy ownerID: String, includingShared: Bool) async throws -> [MessageTemplate] {
        try await pool.read { database in
            try Self.templates(
                in: database,
                sql: """
                    SELECT * FROM templates WHERE (owner_id = ? AND scope = 'personal') OR (? AND scope = 'shared')
                    ORDER BY created_at, id
                    """,
                arguments: [ownerID, includingShared])
        }
    }

    private static func templates(in database: Database, sql: String, arguments: StatementArguments) throws -> [MessageTemplate] {
        try Row.fetchAll(try database.cachedStatement(sql: sql), arguments: arguments).map { row in
            try TemplateRecord(columns: row).template()
        }
    }

    public func saveFAQEntry(_ entry: FAQEntry, audit: [AuditRecord]) async throws {
        let record = FAQEntryRecord(entry)
        try await writer.write { database in
            try database.cachedStatement(
                sql: """
                    INSERT INTO faq_entries (id, scope, owner_id, language, question, alternatives, answer, enabled,
                        vector_model, vectors, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET scope = excluded.scope, owner_id = excluded.owner_id,
                        language = excluded.language, question = excluded.question, alternatives = excluded.alternatives,
                        answer = excluded.answer, enabled = excluded.enabled, vector_model = excluded.vector_model,
                        vectors = excluded.vectors, updated_at = excluded.updated_at
                    """
            ).execute(arguments: [
                record.id, record.scope, record.ownerID, record.language, record.question, record.alternatives,
                record.answer, record.enabled, record.vectorModel, record.vectors, record.createdAt, record.updatedAt,
            ])
            try Self.appendAuditRecords(audit, in: database)
        }
    }

    public func faqEntry(id: String) async throws -> FAQEntry? {
        try await pool.read { database in
            try Self.faqEntries(in: database, where: "f.id = ?", arguments: [id]).first
        }
    }

    public func deleteFAQEntry(id: String, audit: [AuditRecord]) async throws -> Bool {
        try await writer.write { database in
            try database.cachedStatement(sql: "DELETE FROM faq_feedback WHERE faq_id = ?").execute(arguments: [id])
            try database.cachedStatement(sql: "DELETE FROM faq_entries WHERE id = ?").execute(arguments: [id])
            guard database.changesCount > 0 else { return false }
            try Self.appendAuditRecords(audit, in: database)
            return true
        }
    }

    public func faqEntries(ownerID: String?) async throws -> [FAQEntry] {
        try await pool.read { database in
            if let ownerID {
                try Self.faqEntries(in: database, where: "f.owner_id = ? AND f.scope = 'seller'", arguments: [ownerID])
            } else {
                try Self.faqEntries(in: database, where: "f.scope = 'global'", arguments: [])
            }
        }
    }

    private static func faqEntries(
        in database: Database, where condition: String, arguments: StatementArguments
    ) throws
        -> [FAQEntry]
    {
        let sql = """
            SELECT f.*,
                (SELECT count(*) FROM faq_feedback b WHERE b.faq_id = f.id AND b.helpful = 1) AS helpful,
                (SELECT count(*) FROM faq_feedback b WHERE b.faq_id = f.id AND b.helpful = 0) AS unhelpful
            FROM faq_entries f WHERE \(condition) ORDER BY f.created_at, f.id
            """
        return try Row.fetchAll(try database.cachedStatement(sql: sql), arguments: arguments).map { row in
            try FAQEntryRecord(columns: row).entry()
        }
    }

    public func countAutomaticAnswer(faqID: String) async throws {
        try await writer.write { database in
            try database.cachedStatement(sql: "UPDATE faq_entries SET answered = answered + 1 WHERE id = ?")
                .execute(arguments: [faqID])
        }
    }

    public func recordFeedback(
        messageID: String, faqID: String, userID: String, helpful: Bool, now: Timestamp
    ) async throws
        -> Bool?
    {
        try await writer.write { database in
            let earlier = try Bool.fetchOne(
                try database.cachedStatement(sql: "SELECT helpful FROM faq_feedback WHERE message_id = ? AND user_id = ?"),
                arguments: [messageID, userID])
            try database.cachedStatement(
                sql: """
                    INSERT INTO faq_feedback (message_id, user_id, faq_id, helpful, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (message_id, user_id) DO UPDATE SET helpful = excluded.helpful, created_at = excluded.created_at
                    """
            ).execute(arguments: [messageID, userID, faqID, helpful, now.millisecondsSince1970])
            return earlier
        }
    }

    public func assistDirectory() async throws -> AssistDirectory {
        try await pool.read { database in
            AssistDirectory(
                sellersWithEntries: Set(
                    try String.fetchAll(
                        database, sql: "SELECT DISTINCT owner_id FROM faq_entries WHERE enabled AND scope = 'seller'")),
                hasGlobalEntries: try Bool.fetchOne(
                    database, sql: "SELECT EXISTS (SELECT 1 FROM faq_entries WHERE enabled AND scope = 'global')") ?? false,
                mutedSellers: Set(try String.fetchAll(database, sql: "SELECT seller_id FROM assist_settings WHERE NOT auto_answer")))
        }
    }

    public func assistSettings(sellerID: String) async throws -> AssistSettings {
        try await pool.read { database in
            let autoAnswer = try Bool.fetchOne(
                try database.cachedStatement(sql: "SELECT auto_answer FROM assist_settings WHERE seller_id = ?"),
                arguments: [sellerID])
            return AssistSettings(autoAnswer: autoAnswer ?? AssistSettings().autoAnswer)
        }
    }

    public func saveAssistSettings(_ settings: AssistSettings, sellerID: String) async throws {
        try await writer.write { database in
            try database.cachedStatement(
                sql: """
                    INSERT INTO assist_settings (seller_id, auto_answer) VALUES (?, ?)
                    ON CONFLICT (seller_id) DO UPDATE SET auto_answer = excluded.auto_answer
                    """
            ).execute(arguments: [sellerID, settings.autoAnswer])
        }
    }

    public func storedMessage(id messageID: String) async throws -> Message? {
        try await pool.read { database in try Self.message(id: messageID, in: database) }
    }

    public func recordUserName(_ userID: String, name: String) async throws {
        try await writer.write { database in
            try database.cachedStatement(
                sql: "INSERT INTO user_names (user_id, name) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET name = excluded.name"
            ).execute(arguments: [userID, name])
        }
    }

    public func userNames(_ userIDs: [String]) async throws -> [String: String] {
        guard !userIDs.isEmpty else { return [:] }
        return try await pool.read { database in
            let marks = Array(repeating: "?", count: userIDs.count).joined(separator: ", ")
            var names: [String: String] = [:]
            for row in try Row.fetchAll(
                database, sql: "SELECT user_id, name FROM user_names WHERE user_id IN (\(marks))",
                arguments: StatementArguments(userIDs))
            {
                names[try row.stored("user_id", of: "user_names")] = try row.stored("name", of: "user_names")
            }
            return names
        }
    }

    public func recentReplies(
        by userID: String, excludingConversation: String, conversationLimit: Int, limit: Int
    )
        async throws -> [ReplyPair]
    {
        try await pool.read { database in
            // The user's most recently active conversations first (bounded), then in them
            // each text reply of theirs whose previous message is a buyer's text.
            let rows = try Row.fetchAll(
                try database.cachedStatement(
                    sql: """
                        WITH mine AS (
                            SELECT c.id FROM conversations c
                            WHERE c.id != ? AND (c.assigned_to = ?
                                OR c.id IN (SELECT conversation_id FROM participants WHERE user_id = ?))
                            ORDER BY c.last_position DESC LIMIT ?)
                        SELECT r.id AS reply_id, q.id AS question_id FROM mine
                        JOIN messages r ON r.conversation_id = mine.id AND r.sender_id = ? AND r.type = 'text'
                        JOIN messages q ON q.conversation_id = r.conversation_id AND q.seq = r.seq - 1 AND q.type = 'text'
                        JOIN participants p ON p.conversation_id = q.conversation_id AND p.user_id = q.sender_id
                            AND p.role = 'buyer'
                        ORDER BY r.rowid DESC LIMIT ?
                        """),
                arguments: [excludingConversation, userID, userID, conversationLimit, userID, limit])
            var pairs: [ReplyPair] = []
            for row in rows {
                let replyID: String = try row.stored("reply_id", of: "messages")
                let questionID: String = try row.stored("question_id", of: "messages")
                guard let reply = try Self.message(id: replyID, in: database),
                    let question = try Self.message(id: questionID, in: database)
                else { continue }
                pairs.append(ReplyPair(question: question, reply: reply))
            }
            return pairs
        }
    }

    private static func message(id: String, in database: Database) throws -> Message? {
        try MessageRow.fetchOne(try database.cachedStatement(sql: "SELECT * FROM messages WHERE id = ?"), arguments: [id])?
            .record.message(readPositions: ReadPositions())
    }
}
