import Foundation
import GRDB
import ParleyCore

/// Writes: each runs on the group-commit writer, in its own savepoint of a shared
/// transaction, and returns once that transaction committed.
extension SQLiteConversationStore {
    public func createConversation(
        _ request: NewConversation, afterCommit: (@Sendable (CreateConversationResult) -> Void)?
    ) async throws -> CreateConversationResult {
        try await writer.write(afterCommit: afterCommitWakingIndexer(afterCommit)) { database in
            var created = false
            var conversationID = try String.fetchOne(
                try database.cachedStatement(sql: "SELECT id FROM conversations WHERE thread_key = ?"),
                arguments: [request.threadKey])
            if conversationID == nil {
                created = true
                conversationID = request.conversationID
                try database.cachedStatement(
                    sql: """
                        INSERT INTO conversations (id, thread_key, product_id, order_id, subject, status, labels, priority,
                                                   assigned_to, created_at, last_activity_at, last_seq, created_position,
                                                   encryption)
                        VALUES (?, ?, ?, ?, ?, 'open', ?, ?, NULL, ?, ?, 0, (SELECT coalesce(max(rowid), 0) FROM messages), ?)
                        """
                ).execute(arguments: [
                    request.conversationID, request.threadKey, request.productID, request.orderID, request.subject,
                    try ConversationRecord.storedLabels(request.labels), request.priority.rawValue,
                    request.now.millisecondsSince1970, request.now.millisecondsSince1970,
                    request.encrypted ? ConversationRecord.storedEncryption(ConversationEncryption()) : nil,
                ])
                for (position, participant) in request.participants.enumerated() {
                    try database.cachedStatement(
                        sql: "INSERT INTO participants (conversation_id, user_id, role, position) VALUES (?, ?, ?, ?)"
                    ).execute(arguments: [request.conversationID, participant.userID, participant.role.rawValue, position])
                    try database.cachedStatement(sql: "INSERT INTO user_states (conversation_id, user_id) VALUES (?, ?)")
                        .execute(arguments: [request.conversationID, participant.userID])
                }
                try Self.enqueueWebhookEvent(
                    .conversationCreated, conversationID: request.conversationID, messageID: nil, payload: nil,
                    now: request.now, in: database)
                try Self.appendAuditRecords([ConversationAudit.created(request)], in: database)
            }
            var firstMessage: AppendMessageResult?
            if var message = request.firstMessage {
                message.conversationID = conversationID!
                firstMessage = try Self.append(message, in: database)
            }
            guard let conversation = try Self.loadConversation(id: conversationID!, in: database) else {
                throw ParleyError.notFound(what: "conversation")
            }
            return CreateConversationResult(conversation: conversation, created: created, firstMessage: firstMessage)
        }
    }

    public func appendMessage(
        _ request: NewMessage, authorize: (@Sendable (Conversation) throws -> Void)?,
        afterCommit: (@Sendable (AppendMessageResult) -> Void)?
    ) async throws -> AppendMessageResult {
        try await writer.write(afterCommit: afterCommitWakingIndexer(afterCommit)) { database in
            try Self.append(request, authorize: authorize, in: database)
        }
    }

    /// `afterCommit`, then a wake-up of the search indexer: the message is indexed after
    /// its transaction (`SearchIndexer`), not in it.
    private func afterCommitWakingIndexer<T>(_ afterCommit: (@Sendable (T) -> Void)?) -> @Sendable (T) -> Void {
        let indexer = indexer
        return { value in
            afterCommit?(value)
            indexer.wake()
        }
    }

    private static func append(
        _ request: NewMessage, authorize: (@Sendable (Conversation) throws -> Void)? = nil, in database: Database
    ) throws -> AppendMessageResult {
        guard let conversation = try loadConversation(id: request.conversationID, in: database) else {
            throw ParleyError.notFound(what: "conversation")
        }
        try authorize?(conversation)
        var request = request.screened(in: conversation)
        if let clientMessageID = request.clientMessageID,
            let earlier = try MessageRow.fetchOne(
                try database.cachedStatement(
                    sql: """
                        SELECT rowid AS position, * FROM messages
                        WHERE conversation_id = ? AND sender_id = ? AND client_message_id = ?
                        """),
                arguments: [request.conversationID, request.senderID, clientMessageID])
        {
            let readers = try readPositions(conversationID: request.conversationID, in: database)
            return AppendMessageResult(
                message: try earlier.record.message(readPositions: readers), conversation: conversation, created: false,
                reopened: false, position: try earlier.requirePosition())
        }
        if let attachmentID = request.attachmentID {
            request.annotations.attachment = try AttachmentClaim.check(try Self.attachment(id: attachmentID, in: database), for: request)
            try database.cachedStatement(sql: "UPDATE attachments SET message_id = ? WHERE id = ?")
                .execute(arguments: [request.messageID, attachmentID])
        }
        let plan = MessageAppendPlan(request, to: conversation)
        let now = request.now.millisecondsSince1970
        try database.cachedStatement(
            sql: """
                UPDATE conversations
                SET last_seq = ?, last_activity_at = max(last_activity_at, ?), status = ?
                WHERE id = ?
                """
        ).execute(arguments: [plan.seq, now, plan.conversation.status.rawValue, request.conversationID])
        try database.cachedStatement(
            sql: """
                INSERT INTO messages (conversation_id, seq, id, sender_id, content, type, client_message_id, created_at, annotations)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            request.conversationID, plan.seq, request.messageID, request.senderID, request.content,
            request.type.rawValue, request.clientMessageID, now, MessageRecord.storedAnnotations(request.annotations),
        ])
        let position = database.lastInsertedRowID
        try database.cachedStatement(sql: "UPDATE conversations SET last_position = ? WHERE id = ?")
            .execute(arguments: [position, request.conversationID])
        // A message brings the conversation back to the inbox of everyone who archived it
        // (the sender's own archive stays as it is).
        try database.cachedStatement(
            sql: "UPDATE user_states SET archived = 0 WHERE conversation_id = ? AND user_id != ? AND archived = 1"
        ).execute(arguments: [request.conversationID, request.senderID])
        try advanceReadPosition(
            conversationID: request.conversationID, userID: request.senderID, seq: plan.seq, now: now, in: database)
        try enqueueWebhookEvent(
            .messageCreated, conversationID: request.conversationID, messageID: request.messageID, seq: plan.seq,
            payload: nil, now: request.now, in: database)
        try enqueuePushes(
            conversationID: request.conversationID, messageID: request.messageID, seq: plan.seq,
            senderID: request.senderID, now: request.now, in: database)
        return AppendMessageResult(
            appended: request, seq: plan.seq, position: position, to: plan.conversation, reopened: plan.reopens)
    }

    public func updateSentiment(_ sentiment: Sentiment, ofMessage messageID: String, in conversationID: String) async throws {
        let json = try MessageRecord.storedSentiment(sentiment)
        try await writer.write { database in
            try database.cachedStatement(
                sql: """
                    UPDATE messages SET annotations = json_set(coalesce(annotations, '{}'), '$.sentiment', json(?))
                    WHERE conversation_id = ? AND id = ?
                    """
            ).execute(arguments: [json, conversationID, messageID])
        }
    }

    public func updateConversation(id: String, change: ConversationChange, now: Timestamp, actor: AuditActor) async throws
        -> Conversation
    {
        try await writer.write { database in
            // As it was, for the audit leaf's "from".
            let before = try Self.loadConversation(id: id, in: database)
            let (column, value): (String, (any DatabaseValueConvertible)?) =
                switch change {
                case .status(let status): ("status", status.rawValue)
                case .labels(let labels): ("labels", try ConversationRecord.storedLabels(labels))
                case .priority(let priority): ("priority", priority.rawValue)
                case .assignee(let assignee): ("assigned_to", assignee)
                case .escalate(let escalation): ("escalation", ConversationRecord.storedEscalation(escalation))
                case .ticket(let ticket): ("ticket", ConversationRecord.storedTicket(ticket))
                }
            if case .escalate = change {
                // Once only (the first reason stays), raising the priority in the same transaction.
                try database.cachedStatement(
                    sql: "UPDATE conversations SET escalation = ?, priority = ? WHERE id = ? AND escalation IS NULL"
                ).execute(arguments: [value, Priority.high.rawValue, id])
            } else {
                if case .assignee(let assignee) = change {
                    // An assignee who leaves an encrypted conversation held its keys: the
                    // next key set must raise the floor (`EpochRules`).
                    try database.cachedStatement(
                        sql: """
                            UPDATE conversations SET encryption = json_set(encryption, '$.rekeyRequired', json('true'))
                            WHERE id = ? AND encryption IS NOT NULL AND assigned_to IS NOT NULL AND assigned_to IS NOT ?
                            """
                    ).execute(arguments: [id, assignee])
                }
                // Only a real change counts, so that setting what is already there queues no event.
                try database.cachedStatement(sql: "UPDATE conversations SET \(column) = ? WHERE id = ? AND \(column) IS NOT ?")
                    .execute(arguments: [value, id, value])
            }
            let changed = database.changesCount > 0
            guard let conversation = try Self.loadConversation(id: id, in: database) else {
                throw ParleyError.notFound(what: "conversation")
            }
            if changed {
                try Self.enqueueChangeEvents(change, conversationID: id, now: now, in: database)
                if let before, let record = ConversationAudit.change(change, to: before, by: actor, at: now) {
                    try Self.appendAuditRecords([record], in: database)
                }
            }
            return conversation
        }
    }

    /// The webhook events of a change that took effect: always `conversation.updated`,
    /// with `conversation.escalated` for an escalation and `ticket.requested` for a
    /// ticket moving to `requested`.
    private static func enqueueChangeEvents(
        _ change: ConversationChange, conversationID: String, now: Timestamp, in database: Database
    ) throws {
        var events: [WebhookEventType] = [.conversationUpdated]
        switch change {
        case .escalate: events.append(.conversationEscalated)
        case .ticket(let ticket) where ticket.state == .requested: events.append(.ticketRequested)
        default: break
        }
        for event in events {
            try enqueueWebhookEvent(event, conversationID: conversationID, messageID: nil, payload: nil, now: now, in: database)
        }
    }

    public func markRead(conversationID: String, userID: String, seq: Int64, now: Timestamp) async throws -> ReadMark {
        // A read that moves nothing takes no turn of the writer: a client repeating its
        // read position costs one indexed read.
        let current = try await pool.read { database in
            try Self.readPosition(conversationID: conversationID, userID: userID, in: database)
        }
        if let unmoved = ReadAdvance.unmoved(current: current, seq: seq) { return unmoved }
        return try await writer.write { database in
            guard
                let lastSeq = try Int64.fetchOne(
                    try database.cachedStatement(sql: "SELECT last_seq FROM conversations WHERE id = ?"),
                    arguments: [conversationID])
            else { throw ParleyError.notFound(what: "conversation") }
            try ReadAdvance.check(seq, newest: lastSeq)
            let before = try Self.readPosition(conversationID: conversationID, userID: userID, in: database) ?? 0
            if let unmoved = ReadAdvance.unmoved(current: before, seq: seq) { return unmoved }
            let after = try Self.advanceReadPosition(
                conversationID: conversationID, userID: userID, seq: seq, now: now.millisecondsSince1970, in: database)
            return ReadMark(position: after, moved: after > before)
        }
    }

    public func recordSupportAgent(_ userID: String, now: Timestamp) async throws {
        try await writer.write { database in
            try database.cachedStatement(
                sql: "INSERT INTO support_agents (user_id, first_seen) VALUES (?, ?) ON CONFLICT DO NOTHING"
            ).execute(arguments: [userID, now.millisecondsSince1970])
        }
    }

    public func setArchived(conversationID: String, userID: String, archived: Bool) async throws {
        try await writer.write { database in
            try database.cachedStatement(
                sql: """
                    INSERT INTO user_states (conversation_id, user_id, archived) VALUES (?, ?, ?)
                    ON CONFLICT (conversation_id, user_id) DO UPDATE SET archived = excluded.archived
                    """
            ).execute(arguments: [conversationID, userID, archived])
        }
    }

    /// `userID`'s read position in the conversation, `nil` when it never read or sent there.
    static func readPosition(conversationID: String, userID: String, in database: Database) throws -> Int64? {
        try Int64.fetchOne(
            try database.cachedStatement(sql: "SELECT read_seq FROM user_states WHERE conversation_id = ? AND user_id = ?"),
            arguments: [conversationID, userID])
    }

    /// Moves the read position forward only; returns the position after.
    @discardableResult
    private static func advanceReadPosition(
        conversationID: String, userID: String, seq: Int64, now: Int64, in database: Database
    ) throws -> Int64 {
        try Int64.fetchOne(
            try database.cachedStatement(
                sql: """
                    INSERT INTO user_states (conversation_id, user_id, read_seq, last_seen) VALUES (?, ?, ?, ?)
                    ON CONFLICT (conversation_id, user_id)
                    DO UPDATE SET read_seq = max(read_seq, excluded.read_seq), last_seen = excluded.last_seen
                    RETURNING read_seq
                    """),
            arguments: [conversationID, userID, seq, now]) ?? seq
    }
}
