import GRDB
import ParleyCore

/// A row of `webhook_deliveries`.
struct WebhookDeliveryRow: FetchableRecord {
    var delivery: WebhookDelivery

    init(row: Row) throws {
        let eventID: String = try row.stored("event_id", of: "webhook_deliveries")
        let key = "delivery of \(eventID)"
        let name: String = try row.stored("event_type", of: "webhook_deliveries", row: key)
        guard let eventType = WebhookEventType(rawValue: name) else {
            throw StoredValueError(column: "webhook_deliveries.event_type", row: key, value: name)
        }
        let attempt: Int64 = try row.stored("attempt", of: "webhook_deliveries", row: key)
        let status: Int64? = try row.stored("status", of: "webhook_deliveries", row: key)
        delivery = WebhookDelivery(
            webhookID: try row.stored("webhook_id", of: "webhook_deliveries", row: key),
            eventID: eventID, eventType: eventType, attempt: Int(attempt),
            at: Timestamp(millisecondsSince1970: try row.stored("at", of: "webhook_deliveries", row: key)),
            status: status.map { Int($0) },
            error: try row.stored("error", of: "webhook_deliveries", row: key),
            durationMilliseconds: try row.stored("duration_ms", of: "webhook_deliveries", row: key))
    }
}
