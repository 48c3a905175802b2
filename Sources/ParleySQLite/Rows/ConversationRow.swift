import GRDB
import ParleyCore

/// A row of `conversations` (`SELECT c.*` or `*`), read into the stores' shared record.
struct ConversationRow: FetchableRecord {
    var record: ConversationRecord

    init(row: Row) throws {
        let id: String = try row.stored("id", of: "conversations")
        let key = "conversation \(id)"
        record = ConversationRecord(
            id: id,
            productID: try row.stored("product_id", of: "conversations", row: key),
            orderID: try row.stored("order_id", of: "conversations", row: key),
            subject: try row.stored("subject", of: "conversations", row: key),
            status: try row.stored("status", of: "conversations", row: key),
            labels: try row.stored("labels", of: "conversations", row: key),
            priority: try row.stored("priority", of: "conversations", row: key),
            assignedTo: try row.stored("assigned_to", of: "conversations", row: key),
            createdAt: try row.stored("created_at", of: "conversations", row: key),
            lastActivityAt: try row.stored("last_activity_at", of: "conversations", row: key),
            lastSeq: try row.stored("last_seq", of: "conversations", row: key),
            escalation: try row.stored("escalation", of: "conversations", row: key),
            ticket: try row.stored("ticket", of: "conversations", row: key),
            encryption: try row.stored("encryption", of: "conversations", row: key))
    }
}
