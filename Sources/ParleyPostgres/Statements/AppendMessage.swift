import PostgresNIO

/// One statement per message: the conversation's counters, the message and its index
/// entry, the others' archive (a message brings the conversation back to their inbox),
/// and the sender's read position. Prepared, as the writer runs it for every message:
/// parsing and planning were two thirds of PostgreSQL's time per write (docs/benchmarks.md).
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
            UPDATE user_states SET archived = false WHERE conversation_id = $1 AND user_id <> $7 AND archived)
        INSERT INTO user_states (conversation_id, user_id, read_seq, last_seen) VALUES ($1, $7, $2, $3)
        ON CONFLICT (conversation_id, user_id)
        DO UPDATE SET read_seq = greatest(user_states.read_seq, excluded.read_seq), last_seen = excluded.last_seen
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .text, .int8, .int8, .text, .int8, .text, .text, .text, .text, .text, .textArray, .text,
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
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
