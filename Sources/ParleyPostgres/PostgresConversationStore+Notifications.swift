import Logging
import ParleyCore
import PostgresNIO

/// Webhooks, push subscriptions and the outbox (`NotificationStore`). The conversation
/// writes (`+Writes`, `AppendMessage`) queue their items in their own transaction.
///
/// Where each runs: what changes what a conversation write reads (webhooks, push
/// subscriptions) goes through the node's writer, so it is ordered with the writes of
/// every node (a webhook deleted is never given an item by a write that committed after
/// it). The drainer's own statements (leases, completions, the delivery log, what was
/// pushed) run on a pooled connection, each a statement of its own: they stay off the
/// writers' position lock, and `FOR UPDATE SKIP LOCKED` keeps two nodes from leasing one
/// item.
///
/// A webhook's creation, rotation and removal append their audit leaf in their own
/// transaction (`appendAuditRecords`), after the change and only when it took effect.
extension PostgresConversationStore: NotificationStore {
    // MARK: Webhooks

    public func saveWebhook(_ webhook: Webhook, audit: [AuditRecord]) async throws {
        let logger = self.logger
        try await write { connection, _ in
            try await connection.query(
                """
                INSERT INTO webhooks (\(unescaped: Self.webhookColumns))
                VALUES (\(webhook.webhookID), \(webhook.url), \(Webhook.storedEvents(webhook.events)), \(webhook.secret),
                        \(webhook.previousSecret), \(webhook.previousSecretUntil?.millisecondsSince1970), \(webhook.createdBy),
                        \(webhook.createdAt.millisecondsSince1970), \(webhook.disabledAt?.millisecondsSince1970))
                ON CONFLICT (id) DO UPDATE SET url = excluded.url, events = excluded.events, secret = excluded.secret,
                    previous_secret = excluded.previous_secret, previous_secret_until = excluded.previous_secret_until,
                    created_by = excluded.created_by, created_at = excluded.created_at, disabled_at = excluded.disabled_at
                """, logger: logger)
            try await Self.appendAuditRecords(audit, on: connection, logger: logger)
        }
    }

    public func webhooks() async throws -> [Webhook] {
        try await read { connection, logger in
            try await connection.query(
                "SELECT \(unescaped: Self.webhookColumns) FROM webhooks ORDER BY created_at, id", logger: logger
            ).all().map(Webhook.init(columns:))
        }
    }

    public func webhook(id: String) async throws -> Webhook? {
        try await read { connection, logger in
            try await connection.query(
                "SELECT \(unescaped: Self.webhookColumns) FROM webhooks WHERE id = \(id)", logger: logger
            ).all().first.map(Webhook.init(columns:))
        }
    }

    public func deleteWebhook(id: String, audit: [AuditRecord]) async throws -> Bool {
        let logger = self.logger
        return try await write { connection, _ in
            let deleted = try await connection.query(
                """
                WITH hook AS (DELETE FROM webhooks WHERE id = \(id) RETURNING id),
                items AS (DELETE FROM outbox WHERE kind = 'webhook' AND target = \(id)),
                log AS (DELETE FROM webhook_deliveries WHERE webhook_id = \(id))
                SELECT count(*) AS n FROM hook
                """, logger: logger
            ).all().first?["n", as: Int64.self]
            guard (deleted ?? 0) > 0 else { return false }
            try await Self.appendAuditRecords(audit, on: connection, logger: logger)
            return true
        }
    }

    public func rotateWebhookSecret(
        id: String, newSecret: String, previousUntil: Timestamp, audit: [AuditRecord]
    ) async throws -> Webhook? {
        let logger = self.logger
        return try await write { connection, _ in
            // The right-hand sides read the row as it was: `secret` is the old one.
            let rotated = try await connection.query(
                """
                UPDATE webhooks SET previous_secret = secret, previous_secret_until = \(previousUntil.millisecondsSince1970),
                    secret = \(newSecret)
                WHERE id = \(id) RETURNING \(unescaped: Self.webhookColumns)
                """, logger: logger
            ).all().first.map(Webhook.init(columns:))
            if rotated != nil { try await Self.appendAuditRecords(audit, on: connection, logger: logger) }
            return rotated
        }
    }

    public func disableWebhook(id: String, at now: Timestamp) async throws {
        let logger = self.logger
        try await write { connection, _ in
            // The first time stays: a second `410` does not move it.
            try await connection.query(
                """
                WITH hook AS (UPDATE webhooks SET disabled_at = coalesce(disabled_at, \(now.millisecondsSince1970))
                              WHERE id = \(id))
                DELETE FROM outbox WHERE kind = 'webhook' AND target = \(id)
                """, logger: logger)
        }
    }

    public func recordDelivery(_ delivery: WebhookDelivery) async throws {
        let status = delivery.status.map(Int32.init(clamping:))
        let attempt = Int32(clamping: delivery.attempt)
        try await read { connection, logger in
            try await connection.query(
                """
                INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, attempt, at, status, error, duration_ms)
                VALUES (\(delivery.webhookID), \(delivery.eventID), \(delivery.eventType.rawValue), \(attempt),
                        \(delivery.at.millisecondsSince1970), \(status), \(delivery.error), \(delivery.durationMilliseconds))
                """, logger: logger)
        }
    }

    public func deliveries(webhookID: String, limit: Int) async throws -> [WebhookDelivery] {
        try await read { connection, logger in
            try await connection.query(
                """
                SELECT webhook_id, event_id, event_type, attempt, at, status, error, duration_ms FROM webhook_deliveries
                WHERE webhook_id = \(webhookID) ORDER BY at DESC, id DESC LIMIT \(Int64(max(0, limit)))
                """, logger: logger
            ).all().map(WebhookDelivery.init(columns:))
        }
    }

    public func pruneDeliveries(before cutoff: Timestamp) async throws -> Int {
        try await read { connection, logger in
            let pruned = try await connection.query(
                """
                WITH pruned AS (DELETE FROM webhook_deliveries WHERE at < \(cutoff.millisecondsSince1970) RETURNING 1)
                SELECT count(*) AS n FROM pruned
                """, logger: logger
            ).all().first?["n", as: Int64.self]
            return Int(pruned ?? 0)
        }
    }

    // MARK: Push subscriptions

    public func savePushSubscription(_ subscription: PushSubscription) async throws -> (
        subscription: PushSubscription, created: Bool
    ) {
        let logger = self.logger
        return try await write { connection, _ in
            // The browser subscribed again (maybe for another user who signed in on it):
            // the same endpoint, so the same subscription, now theirs with the new keys.
            // `xmax = 0`: the row version was inserted by this statement, not updated.
            guard
                let row = try await connection.query(
                    """
                    INSERT INTO push_subscriptions (\(unescaped: Self.pushSubscriptionColumns))
                    VALUES (\(subscription.subscriptionID), \(subscription.userID), \(subscription.endpoint),
                            \(subscription.p256dh), \(subscription.auth), \(subscription.expirationTime),
                            \(subscription.createdAt.millisecondsSince1970))
                    ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh,
                        auth = excluded.auth, expiration_time = excluded.expiration_time
                    RETURNING \(unescaped: Self.pushSubscriptionColumns), xmax = 0 AS created
                    """, logger: logger
                ).all().first
            // An upsert always returns its row.
            else { throw ParleyError.unavailable(reason: "the push subscription was not saved") }
            return (try PushSubscription(columns: row), try row.stored("created", of: "push_subscriptions"))
        }
    }

    public func pushSubscriptions(of userID: String) async throws -> [PushSubscription] {
        try await read { connection, logger in
            try await connection.query(
                """
                SELECT \(unescaped: Self.pushSubscriptionColumns) FROM push_subscriptions
                WHERE user_id = \(userID) ORDER BY created_at, id
                """, logger: logger
            ).all().map(PushSubscription.init(columns:))
        }
    }

    public func deletePushSubscription(id: String, userID: String?) async throws -> Bool {
        let logger = self.logger
        return try await write { connection, _ in
            let ownerCondition: SQLFragment = userID.map { "AND user_id = \($0)" } ?? ""
            let deleted = try await connection.query(
                """
                WITH subscription AS (DELETE FROM push_subscriptions WHERE id = \(id) \(ownerCondition) RETURNING id),
                sent AS (DELETE FROM push_sent WHERE subscription_id IN (SELECT id FROM subscription))
                SELECT count(*) AS n FROM subscription
                """, logger: logger
            ).all().first?["n", as: Int64.self]
            return (deleted ?? 0) > 0
        }
    }

    public func recordPushed(subscriptionID: String, conversationID: String, seq: Int64) async throws {
        try await read { connection, logger in
            // Never backwards; a newer message pushed shows a notification again, so it is
            // no longer cleared.
            try await connection.query(
                """
                INSERT INTO push_sent (subscription_id, conversation_id, seq) VALUES (\(subscriptionID), \(conversationID), \(seq))
                ON CONFLICT (subscription_id, conversation_id) DO UPDATE SET
                    cleared = push_sent.cleared AND excluded.seq <= push_sent.seq,
                    seq = greatest(push_sent.seq, excluded.seq)
                """, logger: logger)
        }
    }

    public func pushedSeq(subscriptionID: String, conversationID: String) async throws -> Int64? {
        try await read { connection, logger in
            try await connection.query(
                """
                SELECT seq FROM push_sent WHERE subscription_id = \(subscriptionID) AND conversation_id = \(conversationID)
                """, logger: logger
            ).all().first?["seq", as: Int64.self]
        }
    }

    public func enqueueReadPush(userID: String, conversationID: String, seq: Int64, now: Timestamp) async throws -> Bool {
        let now = now.millisecondsSince1970
        // One statement (atomic on its own): after most reads nothing was pushed, and it
        // is one indexed probe of `push_subscriptions`.
        return try await read { connection, logger in
            try await connection.query(
                """
                WITH cleared AS (
                    UPDATE push_sent SET cleared = true
                    WHERE conversation_id = \(conversationID) AND NOT cleared AND seq <= \(seq)
                      AND subscription_id IN (SELECT id FROM push_subscriptions WHERE user_id = \(userID))
                    RETURNING subscription_id)
                INSERT INTO outbox (id, kind, target, conversation_id, seq, payload, created_at, due_at)
                SELECT parley_id('evt', \(now)), \(OutboxKind.pushRead.rawValue), \(userID), \(conversationID), \(seq),
                       (SELECT json_agg(subscription_id ORDER BY subscription_id)::text FROM cleared), \(now), \(now)
                WHERE EXISTS (SELECT 1 FROM cleared)
                RETURNING id
                """, logger: logger
            ).all().count == 1
        }
    }

    // MARK: The outbox

    public func enqueueWebhookEvent(
        _ event: WebhookEventType, conversationID: String, messageID: String?, payload: String?, now: Timestamp
    ) async throws {
        let logger = self.logger
        try await write { connection, _ in
            try await Self.queueWebhookEvents(
                [event], conversationID: conversationID, messageID: messageID, seq: nil, payload: payload,
                now: now.millisecondsSince1970, on: connection, logger: logger)
        }
    }

    public func leaseOutbox(
        kind: OutboxKind, dueBy: Timestamp, now: Timestamp, owner: String, until: Timestamp, limit: Int
    ) async throws -> [OutboxItem] {
        try await read { connection, logger in
            // `SKIP LOCKED`: a row another node is leasing right now is left to it; one it
            // leased a moment ago is seen with its new `lease_until` (the lock re-reads
            // the row) and left too.
            let rows = try await connection.query(
                """
                UPDATE outbox SET lease_owner = \(owner), lease_until = \(until.millisecondsSince1970)
                WHERE id IN (
                    SELECT id FROM outbox
                    WHERE kind = \(kind.rawValue) AND due_at <= \(dueBy.millisecondsSince1970)
                      AND (lease_until IS NULL OR lease_until < \(now.millisecondsSince1970))
                    ORDER BY due_at, ord LIMIT \(Int64(max(0, limit)))
                    FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: Self.outboxColumns), ord
                """, logger: logger
            ).all()
            // RETURNING gives no order: put them back oldest due first, in queuing order.
            return try rows.map { row in (try OutboxItem(columns: row), try row.stored("ord", of: "outbox") as Int64) }
                .sorted { ($0.0.dueAt.millisecondsSince1970, $0.1) < ($1.0.dueAt.millisecondsSince1970, $1.1) }
                .map(\.0)
        }
    }

    public func completeOutbox(itemID: String, owner: String) async throws -> Bool {
        try await read { connection, logger in
            try await connection.query(
                "DELETE FROM outbox WHERE id = \(itemID) AND lease_owner = \(owner) RETURNING id", logger: logger
            ).all().count == 1
        }
    }

    public func rescheduleOutbox(itemID: String, owner: String, dueAt: Timestamp, attempts: Int) async throws -> Bool {
        let attempts = Int32(clamping: attempts)
        return try await read { connection, logger in
            try await connection.query(
                """
                UPDATE outbox SET due_at = \(dueAt.millisecondsSince1970), attempts = \(attempts), lease_owner = NULL,
                    lease_until = NULL
                WHERE id = \(itemID) AND lease_owner = \(owner) RETURNING id
                """, logger: logger
            ).all().count == 1
        }
    }

    public func outboxDepth() async throws -> OutboxDepth {
        try await read { connection, logger in
            let row = try await connection.query(
                """
                SELECT count(*) AS pending, min(due_at) FILTER (WHERE kind <> 'push') AS oldest,
                    min(due_at) FILTER (WHERE kind = 'push') AS oldest_push
                FROM outbox
                """, logger: logger
            ).all().first
            let pending: Int64 = try row?.stored("pending", of: "outbox") ?? 0
            let oldest: Int64? = try row?.stored("oldest", of: "outbox")
            let oldestPush: Int64? = try row?.stored("oldest_push", of: "outbox")
            return OutboxDepth(
                pending: Int(pending), oldestDueAt: oldest.map(Timestamp.init(millisecondsSince1970:)),
                oldestPushDueAt: oldestPush.map(Timestamp.init(millisecondsSince1970:)))
        }
    }

    // MARK: Queuing inside the conversation writes

    /// Queues each of `events` for every enabled webhook subscribed to it, in the caller's
    /// transaction, in the order of `events` (then the webhooks' age). One statement;
    /// without webhooks it reads an empty table. (`AppendMessage` does the same for
    /// `message.created` inside its own statement.)
    static func queueWebhookEvents(
        _ events: [WebhookEventType], conversationID: String, messageID: String?, seq: Int64?, payload: String?,
        now: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO outbox (id, kind, target, event_type, conversation_id, message_id, seq, payload, created_at, due_at)
            SELECT parley_id('evt', \(now)), 'webhook', w.id, e.type, \(conversationID), \(messageID), \(seq), \(payload),
                   \(now), \(now)
            FROM unnest(\(events.map(\.rawValue))::text[]) WITH ORDINALITY AS e (type, n)
            JOIN webhooks w ON w.disabled_at IS NULL AND w.events::jsonb ? e.type
            ORDER BY e.n, w.created_at, w.id
            """, logger: logger)
    }
}
