extension PushSubscription {
    /// The subscription a row of `push_subscriptions` holds (every column).
    public init(columns: some StoredColumns) throws(StoredValueError) {
        let id = try columns.text("id", of: "push_subscriptions", row: "a push subscription")
        let row = "push subscription \(id)"
        self.init(
            subscriptionID: id,
            userID: try columns.text("user_id", of: "push_subscriptions", row: row),
            endpoint: try columns.text("endpoint", of: "push_subscriptions", row: row),
            p256dh: try columns.text("p256dh", of: "push_subscriptions", row: row),
            auth: try columns.text("auth", of: "push_subscriptions", row: row),
            expirationTime: try columns.optionalInteger("expiration_time", of: "push_subscriptions", row: row),
            createdAt: Timestamp(millisecondsSince1970: try columns.integer("created_at", of: "push_subscriptions", row: row)))
    }
}
