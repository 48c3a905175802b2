import GRDB
import ParleyCore

/// A row of `outbox`, its kind and event checked, with its rowid (its queuing order)
/// when the query selected it as `position`.
struct OutboxRow: FetchableRecord {
    var item: OutboxItem
    var position: Int64?

    init(row: Row) throws {
        let id: String = try row.stored("id", of: "outbox")
        let key = "outbox item \(id)"
        let kind: String = try row.stored("kind", of: "outbox", row: key)
        guard let outboxKind = OutboxKind(rawValue: kind) else {
            throw StoredValueError(column: "outbox.kind", row: key, value: kind)
        }
        var eventType: WebhookEventType?
        if let name: String = try row.stored("event_type", of: "outbox", row: key) {
            guard let event = WebhookEventType(rawValue: name) else {
                throw StoredValueError(column: "outbox.event_type", row: key, value: name)
            }
            eventType = event
        }
        let attempts: Int64 = try row.stored("attempts", of: "outbox", row: key)
        item = OutboxItem(
            itemID: id, kind: outboxKind,
            target: try row.stored("target", of: "outbox", row: key),
            eventType: eventType,
            conversationID: try row.stored("conversation_id", of: "outbox", row: key),
            messageID: try row.stored("message_id", of: "outbox", row: key),
            seq: try row.stored("seq", of: "outbox", row: key),
            payload: try row.stored("payload", of: "outbox", row: key),
            createdAt: Timestamp(millisecondsSince1970: try row.stored("created_at", of: "outbox", row: key)),
            dueAt: Timestamp(millisecondsSince1970: try row.stored("due_at", of: "outbox", row: key)),
            attempts: Int(attempts))
        position = try row.stored("position", of: "outbox", row: key)
    }
}
