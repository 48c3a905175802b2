import ParleyCore
import PostgresNIO

/// One statement per message: the conversation's counters, the message and its index
/// entry, the others' archive (a message brings the conversation back to their inbox),
/// the sender's read position, and its outbox items — `message.created` for each enabled
/// webhook that wants it, a push for each recipient ($13) with a push subscription (one
/// pending per user and conversation, moved forward to the newest message and due from
/// its time, or later while a retry waits). Without webhooks or subscriptions those are two index probes of empty tables.
/// Prepared, as the writer runs it for every message: parsing and planning were two
/// thirds of PostgreSQL's time per write (docs/benchmarks.md).
struct AppendMessage: PostgresPreparedStatement {
    static let name = "parley_append_message"
    static let sql = """
        WITH conversation AS (
            UPDATE conversations
            SET last_seq = $2, last_activity_at = greatest(last_activity_at, $3), status = $4, last_position = $5
            WHERE id = $1),
        message AS (
            INSERT INTO messages (position, conversation_id, seq, id, sender_id, content, type, client_message_id,
                                  created_at, search, annotations)
            VALUES ($5, $1, $2, $6, $7, $8, $9, $10, $3, array_to_tsvector($11::text[]), $12)),
        unarchived AS (
            UPDATE user_states SET archived = false WHERE conversation_id = $1 AND user_id <> $7 AND archived),
        hooks AS (
            INSERT INTO outbox (id, kind, target, event_type, conversation_id, message_id, seq, created_at, due_at)
            SELECT parley_id('evt', $3), 'webhook', w.id, '\(WebhookEventType.messageCreated.rawValue)', $1, $6, $2, $3, $3
            FROM webhooks w
            WHERE w.disabled_at IS NULL AND w.events::jsonb ? '\(WebhookEventType.messageCreated.rawValue)'
            ORDER BY w.created_at, w.id),
        pushes AS (
            INSERT INTO outbox (id, kind, target, conversation_id, message_id, seq, created_at, due_at)
            SELECT parley_id('evt', $3), 'push', r.user_id, $1, $6, $2, $3, $3
            FROM unnest($13::text[]) AS r (user_id)
            WHERE EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.user_id = r.user_id)
            ON CONFLICT (target, conversation_id) WHERE kind = 'push'
            DO UPDATE SET message_id = excluded.message_id, seq = excluded.seq, lease_owner = NULL, lease_until = NULL,
                created_at = excluded.created_at, due_at = greatest(outbox.due_at, excluded.due_at)
            WHERE excluded.seq > outbox.seq)
        INSERT INTO user_states (conversation_id, user_id, read_seq, last_seen) VALUES ($1, $7, $2, $3)
        ON CONFLICT (conversation_id, user_id)
        DO UPDATE SET read_seq = greatest(user_states.read_seq, excluded.read_seq), last_seen = excluded.last_seen
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .text, .int8, .int8, .text, .int8, .text, .text, .text, .text, .text, .textArray, .text, .textArray,
    ]
    typealias Row = Void
    var conversationID: String
    var seq: Int64
    var now: Int64
    var status: String
    var position: Int64
    var messageID: String
    var senderID: String
    var content: String
    var type: String
    var clientMessageID: String?
    var terms: [String]
    /// `MessageRecord.storedAnnotations`, `nil` for most messages.
    var annotations: String?
    /// Who may get a push of it: the participants and the assignee but the sender, each once.
    var recipients: [String]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(conversationID)
        bindings.append(seq)
        bindings.append(now)
        bindings.append(status)
        bindings.append(position)
        bindings.append(messageID)
        bindings.append(senderID)
        bindings.append(content)
        bindings.append(type)
        bindings.append(clientMessageID)
        bindings.append(terms)
        bindings.append(annotations)
        bindings.append(recipients)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

extension AppendMessage {
    /// `request` stored at `position`, as `plan` places it in its conversation.
    init(_ request: NewMessage, plan: MessageAppendPlan, position: Int64) throws {
        self.init(
            conversationID: request.conversationID, seq: plan.seq, now: request.now.millisecondsSince1970,
            status: plan.conversation.status.rawValue, position: position, messageID: request.messageID,
            senderID: request.senderID, content: request.content, type: request.type.rawValue,
            clientMessageID: request.clientMessageID,
            terms: TextAnalyzer.indexTerms(request.searchableText).filter { !$0.isEmpty },
            annotations: try MessageRecord.storedAnnotations(request.annotations),
            recipients: PostgresConversationStore.pushRecipients(of: plan.conversation, sender: request.senderID))
    }
}
