import ParleyCore
import PostgresNIO

/// The messages of a write batch in one statement (`AppendMessage` for many): the
/// position counter, each conversation's counters, the messages and their index entries,
/// the others' archive, the senders' read positions and the outbox items (`message.created`
/// for each enabled webhook that wants it, one pending push per recipient with a push
/// subscription and conversation, moved forward to the newest message).
///
/// One statement may change a row only once, so what several messages of the batch do to
/// the same row is folded here first: a conversation's counters, a sender's read
/// position, a recipient's pending push. The archive flag of a sender's own row is
/// cleared by its read-position upsert (when someone else wrote in the batch), every
/// other row's by `unarchived`, so no row is touched by both.
///
/// Prepared, as the writer runs it for every batch. Values travel as arrays, one element
/// per row (`unnest`); a missing text is a `false` in the matching `has_…` array
/// (PostgresNIO binds no NULL inside an array).
struct AppendMessages: PostgresPreparedStatement {
    /// One message as the batch stores it: the values the one-at-a-time statement binds.
    typealias Message = AppendMessage

    /// Separates a message's index terms in one text (arrays of arrays do not bind):
    /// a control character, which no term holds (`TextAnalyzer` splits words on it).
    static let termSeparator: Character = "\u{1F}"

    static let name = "parley_append_messages"
    static let sql = """
        WITH counter AS (
            UPDATE parley_position SET last = $28 WHERE id = 1),
        conversation AS (
            UPDATE conversations c
            SET last_seq = u.last_seq, last_activity_at = greatest(c.last_activity_at, u.now), status = u.status,
                last_position = u.last_position
            FROM unnest($14::text[], $15::int8[], $16::int8[], $17::text[], $18::int8[])
                AS u (id, last_seq, now, status, last_position)
            WHERE c.id = u.id),
        message AS (
            INSERT INTO messages (position, conversation_id, seq, id, sender_id, content, type, client_message_id,
                                  created_at, search, annotations)
            SELECT m.position, m.conversation_id, m.seq, m.id, m.sender_id, m.content, m.type,
                   CASE WHEN m.has_client_id THEN m.client_id END, m.now,
                   array_to_tsvector(string_to_array(m.terms, E'\\x1F')),
                   CASE WHEN m.has_annotations THEN m.annotations END
            FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::bool[], $11::text[], $12::text[], $13::bool[])
                AS m (conversation_id, seq, now, position, id, sender_id, content, type, client_id, has_client_id, terms,
                      annotations, has_annotations)),
        unarchived AS (
            UPDATE user_states s SET archived = false
            WHERE s.archived AND s.conversation_id = ANY($1::text[])
              AND EXISTS (SELECT 1 FROM unnest($1::text[], $6::text[]) AS m (conversation_id, sender_id)
                          WHERE m.conversation_id = s.conversation_id AND m.sender_id <> s.user_id)
              AND NOT EXISTS (SELECT 1 FROM unnest($19::text[], $20::text[]) AS r (conversation_id, user_id)
                              WHERE r.conversation_id = s.conversation_id AND r.user_id = s.user_id)),
        hooks AS (
            INSERT INTO outbox (id, kind, target, event_type, conversation_id, message_id, seq, created_at, due_at)
            SELECT parley_id('evt', m.now), 'webhook', w.id, '\(WebhookEventType.messageCreated.rawValue)',
                   m.conversation_id, m.id, m.seq, m.now, m.now
            FROM unnest($1::text[], $5::text[], $2::int8[], $3::int8[], $4::int8[]) AS m (conversation_id, id, seq, now, position)
            CROSS JOIN webhooks w
            WHERE w.disabled_at IS NULL AND w.events::jsonb ? '\(WebhookEventType.messageCreated.rawValue)'
            ORDER BY m.position, w.created_at, w.id),
        pushes AS (
            INSERT INTO outbox (id, kind, target, conversation_id, message_id, seq, created_at, due_at)
            SELECT parley_id('evt', p.now), 'push', p.user_id, p.conversation_id, p.message_id, p.seq, p.now, p.now
            FROM unnest($23::text[], $24::text[], $25::text[], $26::int8[], $27::int8[])
                AS p (user_id, conversation_id, message_id, seq, now)
            WHERE EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.user_id = p.user_id)
            ON CONFLICT (target, conversation_id) WHERE kind = 'push'
            DO UPDATE SET message_id = excluded.message_id, seq = excluded.seq, lease_owner = NULL, lease_until = NULL,
                created_at = excluded.created_at, due_at = greatest(outbox.due_at, excluded.due_at)
            WHERE excluded.seq > outbox.seq)
        INSERT INTO user_states (conversation_id, user_id, read_seq, last_seen)
        SELECT * FROM unnest($19::text[], $20::text[], $21::int8[], $22::int8[])
        ON CONFLICT (conversation_id, user_id)
        DO UPDATE SET read_seq = greatest(user_states.read_seq, excluded.read_seq), last_seen = excluded.last_seen,
            archived = user_states.archived
                AND NOT EXISTS (SELECT 1 FROM unnest($1::text[], $6::text[]) AS m (conversation_id, sender_id)
                                WHERE m.conversation_id = user_states.conversation_id AND m.sender_id <> user_states.user_id)
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .textArray, .int8Array, .int8Array, .int8Array, .textArray, .textArray, .textArray, .textArray,
        .textArray, .boolArray, .textArray, .textArray, .boolArray,
        .textArray, .int8Array, .int8Array, .textArray, .int8Array,
        .textArray, .textArray, .int8Array, .int8Array,
        .textArray, .textArray, .textArray, .int8Array, .int8Array,
        .int8,
    ]
    typealias Row = Void

    private var bindings = PostgresBindings()

    /// `messages` in position order; `lastPosition` is what the position counter stores.
    init(_ messages: [Message], lastPosition: Int64) {
        bindings.append(messages.map(\.conversationID))
        bindings.append(messages.map(\.seq))
        bindings.append(messages.map(\.now))
        bindings.append(messages.map(\.position))
        bindings.append(messages.map(\.messageID))
        bindings.append(messages.map(\.senderID))
        bindings.append(messages.map(\.content))
        bindings.append(messages.map(\.type))
        bindings.append(messages.map { $0.clientMessageID ?? "" })
        bindings.append(messages.map { $0.clientMessageID != nil })
        bindings.append(
            messages.map { message in
                String(message.terms.filter { !$0.contains(Self.termSeparator) }.joined(separator: String(Self.termSeparator)))
            })
        bindings.append(messages.map { $0.annotations ?? "" })
        bindings.append(messages.map { $0.annotations != nil })

        // Each conversation once: its newest message's counters.
        var conversations: [String: Int] = [:]
        var conversationIDs: [String] = []
        var lastSeqs: [Int64] = []
        var nows: [Int64] = []
        var statuses: [String] = []
        var lastPositions: [Int64] = []
        // Each sender's read position once per conversation: its newest message.
        var readers: [ReaderKey: Int] = [:]
        var readerConversations: [String] = []
        var readerUsers: [String] = []
        var readSeqs: [Int64] = []
        var lastSeen: [Int64] = []
        // Each recipient's pending push once per conversation: the newest message, due
        // from its own time (the contract's `--push-delay` after the message it announces).
        var pushes: [ReaderKey: Int] = [:]
        var pushUsers: [String] = []
        var pushConversations: [String] = []
        var pushMessages: [String] = []
        var pushSeqs: [Int64] = []
        var pushNows: [Int64] = []
        for message in messages {
            if let index = conversations[message.conversationID] {
                lastSeqs[index] = max(lastSeqs[index], message.seq)
                nows[index] = max(nows[index], message.now)
                statuses[index] = message.status
                lastPositions[index] = max(lastPositions[index], message.position)
            } else {
                conversations[message.conversationID] = conversationIDs.count
                conversationIDs.append(message.conversationID)
                lastSeqs.append(message.seq)
                nows.append(message.now)
                statuses.append(message.status)
                lastPositions.append(message.position)
            }
            let reader = ReaderKey(conversationID: message.conversationID, userID: message.senderID)
            if let index = readers[reader] {
                readSeqs[index] = max(readSeqs[index], message.seq)
                lastSeen[index] = message.now
            } else {
                readers[reader] = readerConversations.count
                readerConversations.append(message.conversationID)
                readerUsers.append(message.senderID)
                readSeqs.append(message.seq)
                lastSeen.append(message.now)
            }
            for recipient in message.recipients {
                let key = ReaderKey(conversationID: message.conversationID, userID: recipient)
                if let index = pushes[key] {
                    pushMessages[index] = message.messageID
                    pushSeqs[index] = message.seq
                    pushNows[index] = message.now
                } else {
                    pushes[key] = pushUsers.count
                    pushUsers.append(recipient)
                    pushConversations.append(message.conversationID)
                    pushMessages.append(message.messageID)
                    pushSeqs.append(message.seq)
                    pushNows.append(message.now)
                }
            }
        }
        bindings.append(conversationIDs)
        bindings.append(lastSeqs)
        bindings.append(nows)
        bindings.append(statuses)
        bindings.append(lastPositions)
        bindings.append(readerConversations)
        bindings.append(readerUsers)
        bindings.append(readSeqs)
        bindings.append(lastSeen)
        bindings.append(pushUsers)
        bindings.append(pushConversations)
        bindings.append(pushMessages)
        bindings.append(pushSeqs)
        bindings.append(pushNows)
        bindings.append(lastPosition)
    }

    /// A user's row in a conversation (`user_states`, a pending push).
    private struct ReaderKey: Hashable {
        var conversationID: String
        var userID: String
    }

    func makeBindings() throws -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) throws {}
}
