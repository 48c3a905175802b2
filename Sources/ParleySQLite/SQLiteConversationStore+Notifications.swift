import Foundation
import GRDB
import ParleyCore

/// Webhooks, push subscriptions and the outbox (`NotificationStore`). The conversation
/// writes (`+Writes`) queue their items with `enqueueWebhookEvent` and `enqueuePushes`,
/// inside their own transaction. A webhook's creation, rotation and removal append their
/// audit leaf in their own savepoint (`appendAuditRecords`).
///
/// Leases need no row locks here: every write runs on the one `GroupCommitWriter`, so the
/// select-and-mark of `leaseOutbox` cannot interleave with another node's (all nodes of a
/// SQLite deployment share the file, and SQLite lets one writer at a time in).
extension SQLiteConversationStore: NotificationStore {
    // MARK: Webhooks

    public func saveWebhook(_ webhook: Webhook, audit: [AuditRecord]) async throws {
        try await writer.write { database in
            try database.cachedStatement(
                sql: """
                    INSERT INTO webhooks (id, url, events, secret, previous_secret, previous_secret_until, created_by,
                                          created_at, disabled_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET url = excluded.url, events = excluded.events, secret = excluded.secret,
                        previous_secret = excluded.previous_secret, previous_secret_until = excluded.previous_secret_until,
                        created_by = excluded.created_by, created_at = excluded.created_at, disabled_at = excluded.disabled_at
                    """
            ).execute(arguments: [
                webhook.webhookID, webhook.url, Webhook.storedEvents(webhook.events), webhook.secret,
                webhook.previousSecret, webhook.previousSecretUntil?.millisecondsSince1970, webhook.createdBy,
                webhook.createdAt.millisecondsSince1970, webhook.disabledAt?.millisecondsSince1970,
            ])
            try Self.appendAuditRecords(audit, in: database)
        }
    }

    public func webhooks() async throws -> [Webhook] {
        try await pool.read { database in
            try Row.fetchAll(try database.cachedStatement(sql: "SELECT * FROM webhooks ORDER BY created_at, id"))
                .map(Webhook.init(columns:))
        }
    }

    public func webhook(id: String) async throws -> Webhook? {
        try await pool.read { database in
            try Row.fetchOne(try database.cachedStatement(sql: "SELECT * FROM webhooks WHERE id = ?"), arguments: [id])
                .map(Webhook.init(columns:))
        }
    }

    public func deleteWebhook(id: String, audit: [AuditRecord]) async throws -> Bool {
        try await writer.write { database in
            try database.cachedStatement(sql: "DELETE FROM webhooks WHERE id = ?").execute(arguments: [id])
            guard database.changesCount > 0 else { return false }
            try Self.dropPendingItems(ofWebhook: id, in: database)
            try database.cachedStatement(sql: "DELETE FROM webhook_deliveries WHERE webhook_id = ?").execute(arguments: [id])
            try Self.appendAuditRecords(audit, in: database)
            return true
        }
    }

    public func rotateWebhookSecret(
        id: String, newSecret: String, previousUntil: Timestamp, audit: [AuditRecord]
    ) async throws -> Webhook? {
        try await writer.write { database in
            // The right-hand sides read the row as it was: `secret` is the old one.
            let rotated = try Row.fetchOne(
                try database.cachedStatement(
                    sql: """
                        UPDATE webhooks SET previous_secret = secret, previous_secret_until = ?, secret = ?
                        WHERE id = ? RETURNING *
                        """),
                arguments: [previousUntil.millisecondsSince1970, newSecret, id]
            ).map(Webhook.init(columns:))
            if rotated != nil { try Self.appendAuditRecords(audit, in: database) }
            return rotated
        }
    }

    public func disableWebhook(id: String, at now: Timestamp) async throws {
        try await writer.write { database in
            // The first time stays: a second `410` does not move it.
            try database.cachedStatement(sql: "UPDATE webhooks SET disabled_at = coalesce(disabled_at, ?) WHERE id = ?")
                .execute(arguments: [now.millisecondsSince1970, id])
            try Self.dropPendingItems(ofWebhook: id, in: database)
        }
    }

    private static func dropPendingItems(ofWebhook id: String, in database: Database) throws {
        try database.cachedStatement(sql: "DELETE FROM outbox WHERE target = ? AND kind = 'webhook'").execute(arguments: [id])
    }

    public func recordDelivery(_ delivery: WebhookDelivery) async throws {
        try await writer.write { database in
            try database.cachedStatement(
                sql: """
                    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, attempt, at, status, error, duration_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                delivery.webhookID, delivery.eventID, delivery.eventType.rawValue, delivery.attempt,
                delivery.at.millisecondsSince1970, delivery.status, delivery.error, delivery.durationMilliseconds,
            ])
        }
    }

    public func deliveries(webhookID: String, limit: Int) async throws -> [WebhookDelivery] {
        try await pool.read { database in
            try Row.fetchAll(
                try database.cachedStatement(
                    sql: "SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY at DESC, rowid DESC LIMIT ?"),
                arguments: [webhookID, limit]
            ).map(WebhookDelivery.init(columns:))
        }
    }

    public func pruneDeliveries(before cutoff: Timestamp) async throws -> Int {
        try await writer.write { database in
            try database.cachedStatement(sql: "DELETE FROM webhook_deliveries WHERE at < ?")
                .execute(arguments: [cutoff.millisecondsSince1970])
            return database.changesCount
        }
    }

    // MARK: Push subscriptions

    public func savePushSubscription(_ subscription: PushSubscription) async throws -> (
        subscription: PushSubscription, created: Bool
    ) {
        try await writer.write { database in
            let existing = try String.fetchOne(
                try database.cachedStatement(sql: "SELECT id FROM push_subscriptions WHERE endpoint = ?"),
                arguments: [subscription.endpoint])
            if let existing {
                // The browser subscribed again (maybe for another user who signed in on it):
                // the same endpoint, so the same subscription, now theirs with the new keys.
                let row = try Row.fetchOne(
                    try database.cachedStatement(
                        sql: """
                            UPDATE push_subscriptions SET user_id = ?, p256dh = ?, auth = ?, expiration_time = ?
                            WHERE id = ? RETURNING *
                            """),
                    arguments: [
                        subscription.userID, subscription.p256dh, subscription.auth, subscription.expirationTime, existing,
                    ])
                guard let row else { throw ParleyError.notFound(what: "push subscription") }
                return (try PushSubscription(columns: row), false)
            }
            try database.cachedStatement(
                sql: """
                    INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, expiration_time, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                subscription.subscriptionID, subscription.userID, subscription.endpoint, subscription.p256dh,
                subscription.auth, subscription.expirationTime, subscription.createdAt.millisecondsSince1970,
            ])
            return (subscription, true)
        }
    }

    public func pushSubscriptions(of userID: String) async throws -> [PushSubscription] {
        try await pool.read { database in
            try Row.fetchAll(
                try database.cachedStatement(sql: "SELECT * FROM push_subscriptions WHERE user_id = ? ORDER BY created_at, id"),
                arguments: [userID]
            ).map(PushSubscription.init(columns:))
        }
    }

    public func deletePushSubscription(id: String, userID: String?) async throws -> Bool {
        try await writer.write { database in
            try database.cachedStatement(sql: "DELETE FROM push_subscriptions WHERE id = ? AND (? IS NULL OR user_id = ?)")
                .execute(arguments: [id, userID, userID])
            guard database.changesCount > 0 else { return false }
            try database.cachedStatement(sql: "DELETE FROM push_sent WHERE subscription_id = ?").execute(arguments: [id])
            return true
        }
    }

    public func recordPushed(subscriptionID: String, conversationID: String, seq: Int64) async throws {
        try await writer.write { database in
            // Never backwards; a newer message pushed shows a notification again, so it is
            // no longer cleared.
            try database.cachedStatement(
                sql: """
                    INSERT INTO push_sent (subscription_id, conversation_id, seq, cleared) VALUES (?, ?, ?, 0)
                    ON CONFLICT (subscription_id, conversation_id) DO UPDATE SET
                        cleared = CASE WHEN excluded.seq > seq THEN 0 ELSE cleared END,
                        seq = max(seq, excluded.seq)
                    """
            ).execute(arguments: [subscriptionID, conversationID, seq])
        }
    }

    public func pushedSeq(subscriptionID: String, conversationID: String) async throws -> Int64? {
        try await pool.read { database in
            try Int64.fetchOne(
                try database.cachedStatement(
                    sql: "SELECT seq FROM push_sent WHERE subscription_id = ? AND conversation_id = ?"),
                arguments: [subscriptionID, conversationID])
        }
    }

    public func enqueueReadPush(userID: String, conversationID: String, seq: Int64, now: Timestamp) async throws -> Bool {
        // After most reads nothing was pushed: a read finds that out without taking a
        // turn of the writer.
        let pushed = try await pool.read { database in
            try Bool.fetchOne(
                try database.cachedStatement(
                    sql: """
                        SELECT EXISTS (
                            SELECT 1 FROM push_sent
                            WHERE conversation_id = ? AND cleared = 0 AND seq <= ?
                              AND subscription_id IN (SELECT id FROM push_subscriptions WHERE user_id = ?))
                        """),
                arguments: [conversationID, seq, userID]) ?? false
        }
        guard pushed else { return false }
        return try await writer.write { database in
            let cleared = try String.fetchAll(
                try database.cachedStatement(
                    sql: """
                        UPDATE push_sent SET cleared = 1
                        WHERE conversation_id = ? AND cleared = 0 AND seq <= ?
                          AND subscription_id IN (SELECT id FROM push_subscriptions WHERE user_id = ?)
                        RETURNING subscription_id
                        """),
                arguments: [conversationID, seq, userID])
            guard !cleared.isEmpty else { return false }
            try database.cachedStatement(
                sql: """
                    INSERT INTO outbox (id, kind, target, event_type, conversation_id, message_id, seq, payload, created_at,
                                        due_at, attempts)
                    VALUES (?, 'push_read', ?, NULL, ?, NULL, ?, ?, ?, ?, 0)
                    """
            ).execute(arguments: [
                Identifier.make(prefix: "evt", now: now), userID, conversationID, seq, StoredStrings.encode(cleared.sorted()),
                now.millisecondsSince1970, now.millisecondsSince1970,
            ])
            return true
        }
    }

    // MARK: The outbox

    public func enqueueWebhookEvent(
        _ event: WebhookEventType, conversationID: String, messageID: String?, payload: String?, now: Timestamp
    ) async throws {
        try await writer.write { database in
            try Self.enqueueWebhookEvent(event, conversationID: conversationID, messageID: messageID, payload: payload, now: now, in: database)
        }
    }

    public func leaseOutbox(
        kind: OutboxKind, dueBy: Timestamp, now: Timestamp, owner: String, until: Timestamp, limit: Int
    ) async throws -> [OutboxItem] {
        try await writer.write { database in
            // One statement on the single writer: no other lease can slip between the
            // choice of the items and their marking.
            let rows = try Row.fetchAll(
                try database.cachedStatement(
                    sql: """
                        UPDATE outbox SET lease_owner = ?, lease_until = ?
                        WHERE id IN (
                            SELECT id FROM outbox
                            WHERE kind = ? AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?)
                            ORDER BY due_at, rowid LIMIT ?)
                        RETURNING *, rowid AS position
                        """),
                arguments: [owner, until.millisecondsSince1970, kind.rawValue, dueBy.millisecondsSince1970,
                            now.millisecondsSince1970, limit])
            // RETURNING gives no order: put them back oldest due first, in queuing order
            // (`position`, the rowid).
            return try rows.map { row in
                let item = try OutboxItem(columns: row)
                return (item, try row.stored("position", of: "outbox", row: "outbox item \(item.itemID)") as Int64)
            }
            .sorted { ($0.0.dueAt, $0.1) < ($1.0.dueAt, $1.1) }.map(\.0)
        }
    }

    public func completeOutbox(itemID: String, owner: String) async throws -> Bool {
        try await writer.write { database in
            try database.cachedStatement(sql: "DELETE FROM outbox WHERE id = ? AND lease_owner = ?")
                .execute(arguments: [itemID, owner])
            return database.changesCount > 0
        }
    }

    public func rescheduleOutbox(itemID: String, owner: String, dueAt: Timestamp, attempts: Int) async throws -> Bool {
        try await writer.write { database in
            try database.cachedStatement(
                sql: """
                    UPDATE outbox SET due_at = ?, attempts = ?, lease_owner = NULL, lease_until = NULL
                    WHERE id = ? AND lease_owner = ?
                    """
            ).execute(arguments: [dueAt.millisecondsSince1970, attempts, itemID, owner])
            return database.changesCount > 0
        }
    }

    public func outboxDepth() async throws -> OutboxDepth {
        try await pool.read { database in
            let row = try Row.fetchOne(
                try database.cachedStatement(
                    sql: """
                        SELECT count(*) AS pending, min(CASE WHEN kind != 'push' THEN due_at END) AS oldest,
                            min(CASE WHEN kind = 'push' THEN due_at END) AS oldest_push
                        FROM outbox
                        """))
            let pending: Int64 = try row?.stored("pending", of: "outbox") ?? 0
            let oldest: Int64? = try row?.stored("oldest", of: "outbox")
            let oldestPush: Int64? = try row?.stored("oldest_push", of: "outbox")
            return OutboxDepth(
                pending: Int(pending), oldestDueAt: oldest.map(Timestamp.init(millisecondsSince1970:)),
                oldestPushDueAt: oldestPush.map(Timestamp.init(millisecondsSince1970:)))
        }
    }

    // MARK: Queuing inside the conversation writes

    /// Queues `event` for every enabled webhook subscribed to it, in the caller's
    /// transaction. Without webhooks this is one cached select of an empty table: cheap
    /// enough for every append.
    static func enqueueWebhookEvent(
        _ event: WebhookEventType, conversationID: String, messageID: String?, seq: Int64? = nil, payload: String?,
        now: Timestamp, in database: Database
    ) throws {
        // Ids are made here, not in SQL, so they follow `Identifier`'s form; usually there
        // are zero or one webhooks.
        let targets = try String.fetchAll(
            try database.cachedStatement(
                sql: """
                    SELECT id FROM webhooks
                    WHERE disabled_at IS NULL AND EXISTS (SELECT 1 FROM json_each(webhooks.events) WHERE value = ?)
                    ORDER BY created_at, id
                    """),
            arguments: [event.rawValue])
        for target in targets {
            try database.cachedStatement(
                sql: """
                    INSERT INTO outbox (id, kind, target, event_type, conversation_id, message_id, seq, payload, created_at,
                                        due_at, attempts)
                    VALUES (?, 'webhook', ?, ?, ?, ?, ?, ?, ?, ?, 0)
                    """
            ).execute(arguments: [
                Identifier.make(prefix: "evt", now: now), target, event.rawValue, conversationID, messageID, seq, payload,
                now.millisecondsSince1970, now.millisecondsSince1970,
            ])
        }
    }

    /// Queues, in the caller's transaction, a push of a new message to each recipient
    /// (participants and the assignee, never the sender) who has a push subscription:
    /// one pending item per user and conversation, which a newer message moves forward
    /// (`messageID`, `seq`, and `dueAt` to the newer message's time — or later, when a
    /// retry waits for the push service's `Retry-After`). The push goes out
    /// `--push-delay` after the newest message, as the contract counts it: a second
    /// message 9 s after the first is not pushed 1 s after it was sent. `createdAt`
    /// follows too, so the TTL counts from the message the push announces.
    /// Moving it forward also ends a lease on it: the node pushing the older message can
    /// no longer complete (delete) the item, which is taken again for the newer one.
    static func enqueuePushes(
        conversationID: String, messageID: String, seq: Int64, senderID: String, now: Timestamp, in database: Database
    ) throws {
        // Driven by the conversation's few participants, each an indexed look-up of
        // push_subscriptions: no subscriptions, no rows.
        let recipients = try String.fetchAll(
            try database.cachedStatement(
                sql: """
                    SELECT p.user_id FROM participants p
                    WHERE p.conversation_id = ? AND p.user_id != ?
                      AND EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.user_id = p.user_id)
                    UNION
                    SELECT c.assigned_to FROM conversations c
                    WHERE c.id = ? AND c.assigned_to IS NOT NULL AND c.assigned_to != ?
                      AND EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.user_id = c.assigned_to)
                    """),
            arguments: [conversationID, senderID, conversationID, senderID])
        for recipient in recipients {
            try database.cachedStatement(
                sql: """
                    INSERT INTO outbox (id, kind, target, event_type, conversation_id, message_id, seq, payload, created_at,
                                        due_at, attempts)
                    VALUES (?, 'push', ?, NULL, ?, ?, ?, NULL, ?, ?, 0)
                    ON CONFLICT (target, conversation_id) WHERE kind = 'push'
                    DO UPDATE SET message_id = excluded.message_id, seq = excluded.seq, lease_owner = NULL, lease_until = NULL,
                        created_at = excluded.created_at, due_at = max(outbox.due_at, excluded.due_at)
                    WHERE excluded.seq > outbox.seq
                    """
            ).execute(arguments: [
                Identifier.make(prefix: "evt", now: now), recipient, conversationID, messageID, seq,
                now.millisecondsSince1970, now.millisecondsSince1970,
            ])
        }
    }
}
