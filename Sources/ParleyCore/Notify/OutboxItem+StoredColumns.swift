extension OutboxItem {
    /// The item a row of `outbox` holds (the columns of `OutboxItem`; the lease and the
    /// store's queuing order are read apart), its kind and event checked: a name no
    /// version of Parley writes is a `StoredValueError`. `attempts` is 64-bit in SQLite
    /// and 32-bit in PostgreSQL; `StoredColumns.integer` reads both.
    public init(columns: some StoredColumns) throws(StoredValueError) {
        let id = try columns.text("id", of: "outbox", row: "an outbox item")
        let row = "outbox item \(id)"
        let eventType = try columns.optionalText("event_type", of: "outbox", row: row)
        self.init(
            itemID: id,
            kind: try OutboxKind(stored: try columns.text("kind", of: "outbox", row: row), column: "outbox.kind", row: row),
            target: try columns.text("target", of: "outbox", row: row),
            eventType: try eventType.map { name throws(StoredValueError) in
                try WebhookEventType(stored: name, column: "outbox.event_type", row: row)
            },
            conversationID: try columns.text("conversation_id", of: "outbox", row: row),
            messageID: try columns.optionalText("message_id", of: "outbox", row: row),
            seq: try columns.optionalInteger("seq", of: "outbox", row: row),
            payload: try columns.optionalText("payload", of: "outbox", row: row),
            createdAt: Timestamp(millisecondsSince1970: try columns.integer("created_at", of: "outbox", row: row)),
            dueAt: Timestamp(millisecondsSince1970: try columns.integer("due_at", of: "outbox", row: row)),
            attempts: Int(try columns.integer("attempts", of: "outbox", row: row)))
    }
}
