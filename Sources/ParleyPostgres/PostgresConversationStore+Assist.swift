import Foundation
import Logging
import NIOCore
import ParleyCore
import PostgresNIO

/// Templates, FAQ entries, verdicts and assist settings (`AssistStore`). Writes take a
/// turn of the node's writer like `recordSupportAgent` (they do not depend on message
/// order but share its connection and batches); reads use the pool. Rows become values
/// through the shared records (`TemplateRecord`, `FAQEntryRecord`), as in SQLite. An
/// FAQ change appends its audit leaf in its own transaction (`appendAuditRecords`).
extension PostgresConversationStore: AssistStore {
    private static let templateColumns =
        "id, scope, owner_id, name, shortcut, language, content, variables, created_at, updated_at"

    /// An entry's columns and its verdict counts (`faq_entries f`).
    private static let faqEntryColumns = """
        f.id, f.scope, f.owner_id, f.language, f.question, f.alternatives, f.answer, f.enabled, f.answered,
        f.vector_model, f.vectors, f.created_at, f.updated_at,
        (SELECT count(*) FROM faq_feedback b WHERE b.faq_id = f.id AND b.helpful) AS helpful,
        (SELECT count(*) FROM faq_feedback b WHERE b.faq_id = f.id AND NOT b.helpful) AS unhelpful
        """

    public func saveTemplate(_ template: MessageTemplate) async throws {
        let record = TemplateRecord(template)
        let logger = self.logger
        try await write { connection, _ in
            _ = try await connection.query(
                """
                INSERT INTO templates (id, scope, owner_id, name, shortcut, language, content, variables, created_at, updated_at)
                VALUES (\(record.id), \(record.scope), \(record.ownerID), \(record.name), \(record.shortcut),
                        \(record.language), \(record.content), \(record.variables), \(record.createdAt), \(record.updatedAt))
                ON CONFLICT (id) DO UPDATE SET scope = excluded.scope, owner_id = excluded.owner_id,
                    name = excluded.name, shortcut = excluded.shortcut, language = excluded.language,
                    content = excluded.content, variables = excluded.variables, updated_at = excluded.updated_at
                """, logger: logger)
        }
    }

    public func template(id: String) async throws -> MessageTemplate? {
        try await read { connection, logger in
            try await connection.query(
                "SELECT \(unescaped: Self.templateColumns) FROM templates WHERE id = \(id)", logger: logger
            ).all().first.map(Self.template(from:))
        }
    }

    public func deleteTemplate(id: String) async throws -> Bool {
        let logger = self.logger
        return try await write { connection, _ in
            try await connection.query("DELETE FROM templates WHERE id = \(id) RETURNING id", logger: logger)
                .all().count == 1
        }
    }

    public func templates(ownedBy ownerID: String, includingShared: Bool) async throws -> [MessageTemplate] {
        try await read { connection, logger in
            try await connection.query(
                """
                SELECT \(unescaped: Self.templateColumns) FROM templates
                WHERE (owner_id = \(ownerID) AND scope = 'personal') OR (\(includingShared) AND scope = 'shared')
                ORDER BY created_at, id
                """, logger: logger
            ).all().map(Self.template(from:))
        }
    }

    private static func template(from row: Columns) throws -> MessageTemplate {
        try TemplateRecord(columns: row).template()
    }

    public func saveFAQEntry(_ entry: FAQEntry, audit: [AuditRecord]) async throws {
        let record = FAQEntryRecord(entry)
        // `Data` binds only through a throwing encoder; the same bytes as a `ByteBuffer` do not.
        let vectors = record.vectors.map { ByteBuffer(bytes: $0) }
        let logger = self.logger
        try await write { connection, _ in
            // The counts (`answered`, the verdicts) are left as they are on a replace.
            _ = try await connection.query(
                """
                INSERT INTO faq_entries (id, scope, owner_id, language, question, alternatives, answer, enabled,
                    vector_model, vectors, created_at, updated_at)
                VALUES (\(record.id), \(record.scope), \(record.ownerID), \(record.language), \(record.question),
                        \(record.alternatives), \(record.answer), \(record.enabled), \(record.vectorModel), \(vectors),
                        \(record.createdAt), \(record.updatedAt))
                ON CONFLICT (id) DO UPDATE SET scope = excluded.scope, owner_id = excluded.owner_id,
                    language = excluded.language, question = excluded.question, alternatives = excluded.alternatives,
                    answer = excluded.answer, enabled = excluded.enabled, vector_model = excluded.vector_model,
                    vectors = excluded.vectors, updated_at = excluded.updated_at
                """, logger: logger)
            try await Self.appendAuditRecords(audit, on: connection, logger: logger)
        }
    }

    public func faqEntry(id: String) async throws -> FAQEntry? {
        try await read { connection, logger in
            try await connection.query(
                "SELECT \(unescaped: Self.faqEntryColumns) FROM faq_entries f WHERE f.id = \(id)", logger: logger
            ).all().first.map(Self.faqEntry(from:))
        }
    }

    public func deleteFAQEntry(id: String, audit: [AuditRecord]) async throws -> Bool {
        let logger = self.logger
        return try await write { connection, _ in
            try await connection.query("DELETE FROM faq_feedback WHERE faq_id = \(id)", logger: logger)
            guard
                try await connection.query("DELETE FROM faq_entries WHERE id = \(id) RETURNING id", logger: logger)
                    .all().count == 1
            else { return false }
            try await Self.appendAuditRecords(audit, on: connection, logger: logger)
            return true
        }
    }

    public func faqEntries(ownerID: String?) async throws -> [FAQEntry] {
        try await read { connection, logger in
            let owner: SQLFragment = ownerID.map { "f.owner_id = \($0) AND f.scope = 'seller'" } ?? "f.scope = 'global'"
            return try await connection.query(
                "SELECT \(unescaped: Self.faqEntryColumns) FROM faq_entries f WHERE \(owner) ORDER BY f.created_at, f.id",
                logger: logger
            ).all().map(Self.faqEntry(from:))
        }
    }

    private static func faqEntry(from row: Columns) throws -> FAQEntry {
        try FAQEntryRecord(columns: row).entry()
    }

    public func countAutomaticAnswer(faqID: String) async throws {
        let logger = self.logger
        try await write { connection, _ in
            _ = try await connection.query("UPDATE faq_entries SET answered = answered + 1 WHERE id = \(faqID)", logger: logger)
        }
    }

    public func recordFeedback(
        messageID: String, faqID: String, userID: String, helpful: Bool, now: Timestamp
    ) async throws
        -> Bool?
    {
        let logger = self.logger
        return try await write { connection, _ in
            // Every write batch holds the position lock, so no other node changes the
            // verdict between this read and the upsert.
            let earlier: Bool? = try await connection.query(
                "SELECT helpful FROM faq_feedback WHERE message_id = \(messageID) AND user_id = \(userID)", logger: logger
            ).all().first.map { row in
                try row.stored("helpful", of: "faq_feedback", row: "message \(messageID), user \(userID)")
            }
            try await connection.query(
                """
                INSERT INTO faq_feedback (message_id, user_id, faq_id, helpful, created_at)
                VALUES (\(messageID), \(userID), \(faqID), \(helpful), \(now.millisecondsSince1970))
                ON CONFLICT (message_id, user_id) DO UPDATE SET helpful = excluded.helpful, created_at = excluded.created_at
                """, logger: logger)
            return earlier
        }
    }

    public func assistDirectory() async throws -> AssistDirectory {
        try await read { connection, logger in
            var directory = AssistDirectory()
            for row in try await connection.query(
                "SELECT DISTINCT owner_id FROM faq_entries WHERE enabled AND scope = 'seller'", logger: logger
            ).all() {
                directory.sellersWithEntries.insert(try row.stored("owner_id", of: "faq_entries", row: "a seller"))
            }
            directory.hasGlobalEntries = try await !connection.query(
                "SELECT 1 FROM faq_entries WHERE enabled AND scope = 'global' LIMIT 1", logger: logger
            ).all().isEmpty
            for row in try await connection.query(
                "SELECT seller_id FROM assist_settings WHERE NOT auto_answer", logger: logger
            ).all() {
                directory.mutedSellers.insert(try row.stored("seller_id", of: "assist_settings", row: "a seller"))
            }
            return directory
        }
    }

    public func assistSettings(sellerID: String) async throws -> AssistSettings {
        try await read { connection, logger in
            let autoAnswer: Bool? = try await connection.query(
                "SELECT auto_answer FROM assist_settings WHERE seller_id = \(sellerID)", logger: logger
            ).all().first.map { row in try row.stored("auto_answer", of: "assist_settings", row: "seller \(sellerID)") }
            return AssistSettings(autoAnswer: autoAnswer ?? AssistSettings().autoAnswer)
        }
    }

    public func saveAssistSettings(_ settings: AssistSettings, sellerID: String) async throws {
        let logger = self.logger
        try await write { connection, _ in
            _ = try await connection.query(
                """
                INSERT INTO assist_settings (seller_id, auto_answer) VALUES (\(sellerID), \(settings.autoAnswer))
                ON CONFLICT (seller_id) DO UPDATE SET auto_answer = excluded.auto_answer
                """, logger: logger)
        }
    }

    public func recentReplies(
        by userID: String, excludingConversation: String, conversationLimit: Int, limit: Int
    )
        async throws -> [ReplyPair]
    {
        try await read { connection, logger in
            // The user's most recently active conversations first (bounded), then in them
            // each text reply of theirs whose previous message is a buyer's text; newest
            // reply first (positions follow commit order).
            var pairs: [(reply: Int64, question: Int64)] = []
            for row in try await connection.query(
                """
                WITH mine AS (
                    SELECT c.id FROM conversations c
                    WHERE c.id <> \(excludingConversation) AND (c.assigned_to = \(userID)
                        OR c.id IN (SELECT conversation_id FROM participants WHERE user_id = \(userID)))
                    ORDER BY c.last_position DESC LIMIT \(Int64(conversationLimit)))
                SELECT r.position AS reply, q.position AS question FROM mine
                JOIN messages r ON r.conversation_id = mine.id AND r.sender_id = \(userID) AND r.type = 'text'
                JOIN messages q ON q.conversation_id = r.conversation_id AND q.seq = r.seq - 1 AND q.type = 'text'
                JOIN participants p ON p.conversation_id = q.conversation_id AND p.user_id = q.sender_id
                    AND p.role = 'buyer'
                ORDER BY r.position DESC LIMIT \(Int64(limit))
                """, logger: logger
            ).all() {
                pairs.append(
                    (try row.stored("reply", of: "messages"), try row.stored("question", of: "messages")))
            }
            guard !pairs.isEmpty else { return [] }
            let messages = try await Self.messagesWithoutReaders(
                "m.position = ANY(\(pairs.flatMap { [$0.reply, $0.question] }))", on: connection, logger: logger)
            return pairs.compactMap { pair in
                guard let reply = messages[pair.reply], let question = messages[pair.question] else { return nil }
                return ReplyPair(question: question, reply: reply)
            }
        }
    }

    public func storedMessage(id messageID: String) async throws -> Message? {
        try await read { connection, logger in
            try await Self.messagesWithoutReaders("m.id = \(messageID)", on: connection, logger: logger).values.first
        }
    }

    /// The messages matching `condition` (on `messages m`) by position, with `readBy` left
    /// empty as `AssistStore` promises (the same in SQLite).
    private static func messagesWithoutReaders(
        _ condition: SQLFragment, on connection: PostgresConnection, logger: Logger
    ) async throws -> [Int64: Message] {
        let rows = try await connection.query(
            "SELECT \(unescaped: messageColumns) FROM messages m WHERE \(condition)", logger: logger
        ).all()
        var messages: [Int64: Message] = [:]
        for positioned in try await positionedMessages(from: rows, on: connection, logger: logger) {
            var message = positioned.message
            message.readBy = []
            messages[positioned.position] = message
        }
        return messages
    }

    public func recordUserName(_ userID: String, name: String) async throws {
        let logger = self.logger
        try await write { connection, _ in
            _ = try await connection.query(
                """
                INSERT INTO user_names (user_id, name) VALUES (\(userID), \(name))
                ON CONFLICT (user_id) DO UPDATE SET name = excluded.name
                """, logger: logger)
        }
    }

    public func userNames(_ userIDs: [String]) async throws -> [String: String] {
        guard !userIDs.isEmpty else { return [:] }
        return try await read { connection, logger in
            var names: [String: String] = [:]
            for row in try await connection.query(
                "SELECT user_id, name FROM user_names WHERE user_id = ANY(\(userIDs))", logger: logger
            ).all() {
                let userID: String = try row.stored("user_id", of: "user_names")
                names[userID] = try row.stored("name", of: "user_names", row: "user \(userID)")
            }
            return names
        }
    }
}
