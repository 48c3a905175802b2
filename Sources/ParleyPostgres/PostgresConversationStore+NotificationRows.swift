import ParleyCore
import PostgresNIO

/// Rows of the notification tables to domain values, every stored value checked: an
/// event name or kind no version of Parley writes is a `StoredValueError`.
extension PostgresConversationStore {
    static let webhookColumns =
        "id, url, events, secret, previous_secret, previous_secret_until, created_by, created_at, disabled_at"
    static let pushSubscriptionColumns = "id, user_id, endpoint, p256dh, auth, expiration_time, created_at"
    static let outboxColumns = """
        id, kind, target, event_type, conversation_id, message_id, seq, payload, created_at, due_at, attempts
        """

    /// `webhooks.events`: a JSON array of the events' names.
    static func storedEvents(_ events: [WebhookEventType]) -> String {
        StoredStrings.encode(events.map(\.rawValue))
    }

    static func webhook(from row: Columns) throws(StoredValueError) -> Webhook {
        let id: String = try row.stored("id", of: "webhooks")
        let key = "webhook \(id)"
        let events: String = try row.stored("events", of: "webhooks", row: key)
        var subscribed: [WebhookEventType] = []
        for name in try StoredStrings.decode(events, column: "webhooks.events", row: key) {
            subscribed.append(try checked(name, column: "webhooks.events", row: key))
        }
        return Webhook(
            webhookID: id,
            url: try row.stored("url", of: "webhooks", row: key),
            events: subscribed,
            secret: try row.stored("secret", of: "webhooks", row: key),
            previousSecret: try row.stored("previous_secret", of: "webhooks", row: key),
            previousSecretUntil: (try row.stored("previous_secret_until", of: "webhooks", row: key) as Int64?)
                .map(Timestamp.init(millisecondsSince1970:)),
            createdBy: try row.stored("created_by", of: "webhooks", row: key),
            createdAt: Timestamp(millisecondsSince1970: try row.stored("created_at", of: "webhooks", row: key)),
            disabledAt: (try row.stored("disabled_at", of: "webhooks", row: key) as Int64?)
                .map(Timestamp.init(millisecondsSince1970:)))
    }

    static func delivery(from row: Columns) throws(StoredValueError) -> WebhookDelivery {
        let webhookID: String = try row.stored("webhook_id", of: "webhook_deliveries")
        let eventID: String = try row.stored("event_id", of: "webhook_deliveries", row: "webhook \(webhookID)")
        let key = "webhook \(webhookID), event \(eventID)"
        return WebhookDelivery(
            webhookID: webhookID,
            eventID: eventID,
            eventType: try checked(
                try row.stored("event_type", of: "webhook_deliveries", row: key), column: "webhook_deliveries.event_type",
                row: key),
            attempt: Int(try row.stored("attempt", of: "webhook_deliveries", row: key) as Int32),
            at: Timestamp(millisecondsSince1970: try row.stored("at", of: "webhook_deliveries", row: key)),
            status: (try row.stored("status", of: "webhook_deliveries", row: key) as Int32?).map(Int.init),
            error: try row.stored("error", of: "webhook_deliveries", row: key),
            durationMilliseconds: try row.stored("duration_ms", of: "webhook_deliveries", row: key))
    }

    static func pushSubscription(from row: Columns) throws(StoredValueError) -> PushSubscription {
        let id: String = try row.stored("id", of: "push_subscriptions")
        let key = "push subscription \(id)"
        return PushSubscription(
            subscriptionID: id,
            userID: try row.stored("user_id", of: "push_subscriptions", row: key),
            endpoint: try row.stored("endpoint", of: "push_subscriptions", row: key),
            p256dh: try row.stored("p256dh", of: "push_subscriptions", row: key),
            auth: try row.stored("auth", of: "push_subscriptions", row: key),
            expirationTime: try row.stored("expiration_time", of: "push_subscriptions", row: key),
            createdAt: Timestamp(millisecondsSince1970: try row.stored("created_at", of: "push_subscriptions", row: key)))
    }

    static func outboxItem(from row: Columns) throws(StoredValueError) -> OutboxItem {
        let id: String = try row.stored("id", of: "outbox")
        let key = "outbox item \(id)"
        let eventType: String? = try row.stored("event_type", of: "outbox", row: key)
        return OutboxItem(
            itemID: id,
            kind: try checked(try row.stored("kind", of: "outbox", row: key), column: "outbox.kind", row: key),
            target: try row.stored("target", of: "outbox", row: key),
            eventType: try eventType.map { name throws(StoredValueError) in
                try checked(name, column: "outbox.event_type", row: key)
            },
            conversationID: try row.stored("conversation_id", of: "outbox", row: key),
            messageID: try row.stored("message_id", of: "outbox", row: key),
            seq: try row.stored("seq", of: "outbox", row: key),
            payload: try row.stored("payload", of: "outbox", row: key),
            createdAt: Timestamp(millisecondsSince1970: try row.stored("created_at", of: "outbox", row: key)),
            dueAt: Timestamp(millisecondsSince1970: try row.stored("due_at", of: "outbox", row: key)),
            attempts: Int(try row.stored("attempts", of: "outbox", row: key) as Int32))
    }

    /// The case a column keeps as its raw text, or `StoredValueError` when none has it.
    private static func checked<Value: RawRepresentable<String>>(
        _ text: String, column: String, row: String
    ) throws(StoredValueError) -> Value {
        guard let value = Value(rawValue: text) else { throw StoredValueError(column: column, row: row, value: text) }
        return value
    }
}
