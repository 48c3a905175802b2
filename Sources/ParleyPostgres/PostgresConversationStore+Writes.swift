import Foundation
import Logging
import ParleyCore
import PostgresNIO

/// Writes: each runs on the node's writer, inside a batch that holds the position lock,
/// and returns once the batch committed.
extension PostgresConversationStore {
    public func createConversation(
        _ request: NewConversation, afterCommit: (@Sendable (CreateConversationResult) -> Void)?
    ) async throws -> CreateConversationResult {
        let logger = self.logger
        return try await write(afterCommit: afterCommit) { connection, positions in
            var created = false
            var conversationID = try await connection.query(
                "SELECT id FROM conversations WHERE thread_key = \(request.threadKey)", logger: logger
            ).all().first?["id", as: String.self]
            if conversationID == nil {
                created = true
                conversationID = request.conversationID
                let labels = try ConversationRecord.storedLabels(request.labels)
                let now = request.now.millisecondsSince1970
                // As in SQLite: the newest position when it was created (positions stay
                // gap-free: only messages take one).
                let position = positions.last
                let encryption = request.encrypted ? ConversationRecord.storedEncryption(ConversationEncryption()) : nil
                // The `conversation.created` audit leaf rides on the insert: no round trip of its own.
                try await connection.query(
                    """
                    WITH \(Self.auditAppend([ConversationAudit.created(request)]))
                    INSERT INTO conversations (id, thread_key, product_id, order_id, subject, status, labels, priority,
                                               created_at, last_activity_at, created_position, encryption)
                    VALUES (\(request.conversationID), \(request.threadKey), \(request.productID), \(request.orderID),
                            \(request.subject), 'open', \(labels)::jsonb, \(request.priority.rawValue), \(now), \(now),
                            \(position), \(encryption))
                    """, logger: logger)
                for (index, participant) in request.participants.enumerated() {
                    try await connection.query(
                        """
                        WITH p AS (INSERT INTO participants (conversation_id, user_id, role, position)
                                   VALUES (\(request.conversationID), \(participant.userID), \(participant.role.rawValue), \(Int64(index))))
                        INSERT INTO user_states (conversation_id, user_id) VALUES (\(request.conversationID), \(participant.userID))
                        """, logger: logger)
                }
                try await Self.queueWebhookEvents(
                    [.conversationCreated], conversationID: request.conversationID, messageID: nil, seq: nil, payload: nil,
                    now: now, on: connection, logger: logger)
            }
            var firstMessage: AppendMessageResult?
            if var message = request.firstMessage {
                message.conversationID = conversationID!
                firstMessage = try await Self.append(message, authorize: nil, on: connection, positions: positions, logger: logger)
            }
            guard let conversation = try await Self.loadConversation(id: conversationID!, on: connection, logger: logger) else {
                throw ParleyError.notFound(what: "conversation")
            }
            return CreateConversationResult(conversation: conversation, created: created, firstMessage: firstMessage)
        }
    }

    public func appendMessage(
        _ request: NewMessage, authorize: (@Sendable (Conversation) throws -> Void)?,
        afterCommit: (@Sendable (AppendMessageResult) -> Void)?
    ) async throws -> AppendMessageResult {
        let logger = self.logger
        return try await writer.append(BatchedAppend(request: request, authorize: authorize), afterCommit: afterCommit) {
            connection, positions in
            try await Self.append(request, authorize: authorize, on: connection, positions: positions, logger: logger)
        }
    }

    private static func append(
        _ request: NewMessage, authorize: (@Sendable (Conversation) throws -> Void)?, on connection: PostgresConnection,
        positions: PositionCounter, logger: Logger
    ) async throws -> AppendMessageResult {
        guard let conversation = try await loadConversation(id: request.conversationID, on: connection, lock: true, logger: logger)
        else { throw ParleyError.notFound(what: "conversation") }
        try authorize?(conversation)
        var request = request.screened(in: conversation)
        if let clientMessageID = request.clientMessageID,
            let row = try await connection.query(
                """
                SELECT \(unescaped: messageColumns) FROM messages m
                WHERE m.conversation_id = \(request.conversationID) AND m.sender_id = \(request.senderID)
                  AND m.client_message_id = \(clientMessageID)
                """, logger: logger
            ).all().first
        {
            let earlier = try await positionedMessages(from: [row], on: connection, logger: logger)[0]
            return repeated(earlier, in: conversation)
        }
        try await claimAttachment(of: &request, on: connection, logger: logger)
        let plan = MessageAppendPlan(request, to: conversation)
        let position = positions.next()
        // One statement: the conversation's counters, the message and its index entry, the
        // others' archive (a message brings the conversation back to their inbox), and the
        // sender's read position.
        _ = try await connection.execute(try AppendMessage(request, plan: plan, position: position), logger: logger)
        return AppendMessageResult(
            appended: request, seq: plan.seq, position: position, to: plan.conversation, reopened: plan.reopens)
    }

    /// The answer to a message sent again under its client message id: the first one.
    static func repeated(_ earlier: PositionedMessage, in conversation: Conversation) -> AppendMessageResult {
        AppendMessageResult(
            message: earlier.message, conversation: conversation, created: false, reopened: false, position: earlier.position)
    }

    /// Claims the request's attachment, if any, for its message (`AttachmentClaim`), under
    /// the attachment's row lock. A refusal is a `ParleyError` thrown before anything is
    /// written.
    static func claimAttachment(of request: inout NewMessage, on connection: PostgresConnection, logger: Logger) async throws {
        guard let attachmentID = request.attachmentID else { return }
        let attachment = try await Self.attachment(id: attachmentID, forUpdate: true, on: connection, logger: logger)
        request.annotations.attachment = try AttachmentClaim.check(attachment, for: request)
        _ = try await connection.query(
            "UPDATE attachments SET message_id = \(request.messageID) WHERE id = \(attachmentID)", logger: logger)
    }

    /// Who a message may be pushed to: the participants and the assignee, never the
    /// sender, each once.
    static func pushRecipients(of conversation: Conversation, sender: String) -> [String] {
        var recipients: [String] = []
        for userID in conversation.participants.map(\.userID) + [conversation.assignedTo].compactMap({ $0 })
        where userID != sender && !recipients.contains(userID) {
            recipients.append(userID)
        }
        return recipients
    }

    public func updateSentiment(_ sentiment: Sentiment, ofMessage messageID: String, in conversationID: String) async throws {
        let json = try MessageRecord.storedSentiment(sentiment)
        let logger = self.logger
        try await write { connection, _ in
            _ = try await connection.query(
                """
                UPDATE messages
                SET annotations = (coalesce(annotations, '{}')::jsonb || jsonb_build_object('sentiment', \(json)::jsonb))::text
                WHERE conversation_id = \(conversationID) AND id = \(messageID)
                """, logger: logger)
        }
    }

    public func updateConversation(id: String, change: ConversationChange, now: Timestamp, actor: AuditActor) async throws
        -> Conversation
    {
        let logger = self.logger
        return try await write { connection, _ in
            guard let before = try await Self.loadConversation(id: id, on: connection, lock: true, logger: logger) else {
                throw ParleyError.notFound(what: "conversation")
            }
            // Only a real change is written and announced: setting what is already there
            // queues no `conversation.updated`.
            var events: [WebhookEventType] = [.conversationUpdated]
            let assignment: SQLFragment
            switch change {
            case .status(let status):
                guard status != before.status else { return before }
                assignment = "status = \(status.rawValue)"
            case .labels(let labels):
                guard labels != before.labels else { return before }
                assignment = "labels = \(try ConversationRecord.storedLabels(labels))::jsonb"
            case .priority(let priority):
                guard priority != before.priority else { return before }
                assignment = "priority = \(priority.rawValue)"
            case .assignee(let assignee):
                guard assignee != before.assignedTo else { return before }
                if var encryption = before.encryption, before.assignedTo != nil {
                    // An assignee who leaves an encrypted conversation held its keys: the
                    // next key set must raise the floor (`EpochRules`).
                    encryption.rekeyRequired = true
                    assignment = "assigned_to = \(assignee), encryption = \(ConversationRecord.storedEncryption(encryption))"
                } else {
                    assignment = "assigned_to = \(assignee)"
                }
            case .escalate(let escalation):
                // Once only (the first reason stays), raising the priority in the same statement.
                guard before.escalation == nil else { return before }
                assignment =
                    "escalation = \(ConversationRecord.storedEscalation(escalation)), priority = \(Priority.high.rawValue)"
                events.append(.conversationEscalated)
            case .ticket(let ticket):
                guard ticket != before.ticket else { return before }
                assignment = "ticket = \(ConversationRecord.storedTicket(ticket))"
                if ticket.state == .requested { events.append(.ticketRequested) }
            }
            // The audit leaf rides on the update: no round trip of its own.
            let audit: SQLFragment =
                ConversationAudit.change(change, to: before, by: actor, at: now).map { "WITH \(Self.auditAppend([$0])) " } ?? ""
            try await connection.query("\(audit)UPDATE conversations SET \(assignment) WHERE id = \(id)", logger: logger)
            try await Self.queueWebhookEvents(
                events, conversationID: id, messageID: nil, seq: nil, payload: nil, now: now.millisecondsSince1970,
                on: connection, logger: logger)
            guard let conversation = try await Self.loadConversation(id: id, on: connection, logger: logger) else {
                throw ParleyError.notFound(what: "conversation")
            }
            return conversation
        }
    }

    public func markRead(conversationID: String, userID: String, seq: Int64, now: Timestamp) async throws -> ReadMark {
        // A read that moves nothing takes no turn of the writer: a client repeating its
        // read position costs one indexed read.
        let current = try await read { connection, logger in
            try await connection.query(
                "SELECT read_seq FROM user_states WHERE conversation_id = \(conversationID) AND user_id = \(userID)",
                logger: logger
            ).all().first?["read_seq", as: Int64.self]
        }
        if let unmoved = ReadAdvance.unmoved(current: current, seq: seq) { return unmoved }
        let logger = self.logger
        return try await write { connection, _ in
            guard
                let lastSeq = try await connection.query(
                    "SELECT last_seq FROM conversations WHERE id = \(conversationID)", logger: logger
                ).all().first?["last_seq", as: Int64.self]
            else { throw ParleyError.notFound(what: "conversation") }
            try ReadAdvance.check(seq, newest: lastSeq)
            let before =
                try await connection.query(
                    """
                    SELECT read_seq FROM user_states WHERE conversation_id = \(conversationID) AND user_id = \(userID) FOR UPDATE
                    """, logger: logger
                ).all().first?["read_seq", as: Int64.self] ?? 0
            if let unmoved = ReadAdvance.unmoved(current: before, seq: seq) { return unmoved }
            let after =
                try await connection.query(
                    """
                    INSERT INTO user_states (conversation_id, user_id, read_seq, last_seen)
                    VALUES (\(conversationID), \(userID), \(seq), \(now.millisecondsSince1970))
                    ON CONFLICT (conversation_id, user_id)
                    DO UPDATE SET read_seq = greatest(user_states.read_seq, excluded.read_seq), last_seen = excluded.last_seen
                    RETURNING read_seq
                    """, logger: logger
                ).all().first?["read_seq", as: Int64.self] ?? seq
            return ReadMark(position: after, moved: after > before)
        }
    }

    public func recordSupportAgent(_ userID: String, now: Timestamp) async throws {
        let logger = self.logger
        try await write { connection, _ in
            try await connection.query(
                """
                INSERT INTO support_agents (user_id, first_seen) VALUES (\(userID), \(now.millisecondsSince1970))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }

    public func setArchived(conversationID: String, userID: String, archived: Bool) async throws {
        let logger = self.logger
        try await write { connection, _ in
            try await connection.query(
                """
                INSERT INTO user_states (conversation_id, user_id, archived) VALUES (\(conversationID), \(userID), \(archived))
                ON CONFLICT (conversation_id, user_id) DO UPDATE SET archived = excluded.archived
                """, logger: logger)
        }
    }
}
