import GRDB
import ParleyCore

/// A row of `webhooks`, its events checked: a name no version of Parley writes is a
/// `StoredValueError`, not a dropped event.
struct WebhookRow: FetchableRecord {
    var webhook: Webhook

    init(row: Row) throws {
        let id: String = try row.stored("id", of: "webhooks")
        let key = "webhook \(id)"
        let events: String = try row.stored("events", of: "webhooks", row: key)
        webhook = Webhook(
            webhookID: id,
            url: try row.stored("url", of: "webhooks", row: key),
            events: try StoredStrings.decode(events, column: "webhooks.events", row: key).map { name throws(StoredValueError) in
                guard let event = WebhookEventType(rawValue: name) else {
                    throw StoredValueError(column: "webhooks.events", row: key, value: events)
                }
                return event
            },
            secret: try row.stored("secret", of: "webhooks", row: key),
            previousSecret: try row.stored("previous_secret", of: "webhooks", row: key),
            previousSecretUntil: (try row.stored("previous_secret_until", of: "webhooks", row: key) as Int64?)
                .map(Timestamp.init(millisecondsSince1970:)),
            createdBy: try row.stored("created_by", of: "webhooks", row: key),
            createdAt: Timestamp(millisecondsSince1970: try row.stored("created_at", of: "webhooks", row: key)),
            disabledAt: (try row.stored("disabled_at", of: "webhooks", row: key) as Int64?)
                .map(Timestamp.init(millisecondsSince1970:)))
    }

    /// `events` as the column keeps them: a JSON array of their names.
    static func storedEvents(_ events: [WebhookEventType]) -> String {
        StoredStrings.encode(events.map(\.rawValue))
    }
}
