import GRDB
import ParleyCore

/// A row of `messages`, with its position (its rowid) when the query selected it as
/// `position`.
struct MessageRow: FetchableRecord {
    var record: MessageRecord
    var position: Int64?

    init(row: Row) throws {
        let id: String = try row.stored("id", of: "messages")
        let key = "message \(id)"
        record = MessageRecord(
            id: id,
            conversationID: try row.stored("conversation_id", of: "messages", row: key),
            seq: try row.stored("seq", of: "messages", row: key),
            senderID: try row.stored("sender_id", of: "messages", row: key),
            content: try row.stored("content", of: "messages", row: key),
            type: try row.stored("type", of: "messages", row: key),
            clientMessageID: try row.stored("client_message_id", of: "messages", row: key),
            createdAt: try row.stored("created_at", of: "messages", row: key),
            annotations: try row.stored("annotations", of: "messages", row: key))
        position = try row.stored("position", of: "messages", row: key)
    }

    /// The position, which the query must have selected.
    func requirePosition() throws -> Int64 {
        guard let position else { throw StoredValueError(column: "messages.rowid", row: "message \(record.id)", value: "NULL") }
        return position
    }
}
