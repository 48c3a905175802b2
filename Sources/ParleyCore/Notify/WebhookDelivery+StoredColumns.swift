extension WebhookDelivery {
    /// The delivery a row of `webhook_deliveries` holds, its event checked: a name no
    /// version of Parley writes is a `StoredValueError`. `attempt` and `status` are
    /// 64-bit in SQLite and 32-bit in PostgreSQL; `StoredColumns.integer` reads both.
    public init(columns: some StoredColumns) throws(StoredValueError) {
        let webhookID = try columns.text("webhook_id", of: "webhook_deliveries", row: "a webhook delivery")
        let eventID = try columns.text("event_id", of: "webhook_deliveries", row: "webhook \(webhookID)")
        let row = "webhook \(webhookID), event \(eventID)"
        self.init(
            webhookID: webhookID,
            eventID: eventID,
            eventType: try WebhookEventType(
                stored: try columns.text("event_type", of: "webhook_deliveries", row: row),
                column: "webhook_deliveries.event_type", row: row),
            attempt: Int(try columns.integer("attempt", of: "webhook_deliveries", row: row)),
            at: Timestamp(millisecondsSince1970: try columns.integer("at", of: "webhook_deliveries", row: row)),
            status: try columns.optionalInteger("status", of: "webhook_deliveries", row: row).map { Int($0) },
            error: try columns.optionalText("error", of: "webhook_deliveries", row: row),
            durationMilliseconds: try columns.integer("duration_ms", of: "webhook_deliveries", row: row))
    }
}
