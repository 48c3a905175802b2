extension Webhook {
    /// The webhook a row of `webhooks` holds (every column), its events checked: a name
    /// no version of Parley writes is a `StoredValueError`, not a dropped event.
    public init(columns: some StoredColumns) throws(StoredValueError) {
        let id = try columns.text("id", of: "webhooks", row: "a webhook")
        let row = "webhook \(id)"
        let events = try columns.text("events", of: "webhooks", row: row)
        var subscribed: [WebhookEventType] = []
        for name in try StoredStrings.decode(events, column: "webhooks.events", row: row) {
            subscribed.append(try WebhookEventType(stored: name, column: "webhooks.events", row: row))
        }
        self.init(
            webhookID: id,
            url: try columns.text("url", of: "webhooks", row: row),
            events: subscribed,
            secret: try columns.text("secret", of: "webhooks", row: row),
            previousSecret: try columns.optionalText("previous_secret", of: "webhooks", row: row),
            previousSecretUntil: try columns.optionalInteger("previous_secret_until", of: "webhooks", row: row)
                .map(Timestamp.init(millisecondsSince1970:)),
            createdBy: try columns.text("created_by", of: "webhooks", row: row),
            createdAt: Timestamp(millisecondsSince1970: try columns.integer("created_at", of: "webhooks", row: row)),
            disabledAt: try columns.optionalInteger("disabled_at", of: "webhooks", row: row)
                .map(Timestamp.init(millisecondsSince1970:)))
    }

    /// `events` as `webhooks.events` keeps them: a JSON array of their names.
    public static func storedEvents(_ events: [WebhookEventType]) -> String {
        StoredStrings.encode(events.map(\.rawValue))
    }
}
