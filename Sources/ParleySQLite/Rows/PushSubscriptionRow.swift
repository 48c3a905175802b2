import GRDB
import ParleyCore

/// A row of `push_subscriptions`.
struct PushSubscriptionRow: FetchableRecord {
    var subscription: PushSubscription

    init(row: Row) throws {
        let id: String = try row.stored("id", of: "push_subscriptions")
        let key = "push subscription \(id)"
        subscription = PushSubscription(
            subscriptionID: id,
            userID: try row.stored("user_id", of: "push_subscriptions", row: key),
            endpoint: try row.stored("endpoint", of: "push_subscriptions", row: key),
            p256dh: try row.stored("p256dh", of: "push_subscriptions", row: key),
            auth: try row.stored("auth", of: "push_subscriptions", row: key),
            expirationTime: try row.stored("expiration_time", of: "push_subscriptions", row: key),
            createdAt: Timestamp(millisecondsSince1970: try row.stored("created_at", of: "push_subscriptions", row: key)))
    }
}
