import ParleyCore

/// The columns the notification queries write and read back, in the order of their
/// `INSERT`s; `Webhook(columns:)`, `PushSubscription(columns:)` and `OutboxItem(columns:)`
/// (ParleyCore, shared with the SQLite store) decode them.
extension PostgresConversationStore {
    static let webhookColumns =
        "id, url, events, secret, previous_secret, previous_secret_until, created_by, created_at, disabled_at"
    static let pushSubscriptionColumns = "id, user_id, endpoint, p256dh, auth, expiration_time, created_at"
    static let outboxColumns = """
        id, kind, target, event_type, conversation_id, message_id, seq, payload, created_at, due_at, attempts
        """
}
