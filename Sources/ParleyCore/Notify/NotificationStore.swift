/// Webhooks, push subscriptions and the durable outbox, next to the conversations (same
/// database, same store suite).
///
/// The outbox is written by the conversation writes themselves, in their transaction:
/// - `createConversation` that creates: `conversation.created` (and `message.created` for
///   a first message);
/// - `appendMessage` that appends (not a retried `clientMessageId`): `message.created`,
///   and one `push` item per recipient (participants and the assignee, never the sender)
///   that has a push subscription — at most one pending per user and conversation: a
///   newer message updates `messageID`/`seq` of the pending one, moves its `createdAt`
///   and `dueAt` to its own time (`dueAt` never backwards: a retry waiting for the push
///   service stays) and ends any lease on it (so the node pushing the older message
///   cannot complete it);
/// - `updateConversation`: `conversation.updated`; an escalation that took effect also
///   `conversation.escalated`; a ticket moving to `requested` also `ticket.requested`.
/// A webhook event becomes one item per enabled webhook subscribed to it (none when no
/// webhook wants it), its id the `webhook-id` of every attempt.
public protocol NotificationStore: Sendable {
    // MARK: Webhooks

    /// Inserts the webhook, or replaces the one with its id, and appends `audit` (its
    /// `webhook.created` leaf) in the same transaction: no webhook whose secret went out
    /// without its leaf, no leaf without its webhook.
    func saveWebhook(_ webhook: Webhook, audit: [AuditRecord]) async throws
    /// Every webhook, disabled ones too, oldest first.
    func webhooks() async throws -> [Webhook]
    func webhook(id: String) async throws -> Webhook?
    /// Removes the webhook, its pending items and its delivery log; false when unknown.
    /// `audit` (the `webhook.deleted` leaf) is appended in the same transaction, only
    /// when there was one to remove.
    func deleteWebhook(id: String, audit: [AuditRecord]) async throws -> Bool
    /// Makes `newSecret` the signing secret and keeps the old one signing until
    /// `previousUntil`. Nil when unknown. `audit` (the `webhook.rotated` leaf) is
    /// appended in the same transaction, only when the webhook exists.
    func rotateWebhookSecret(
        id: String, newSecret: String, previousUntil: Timestamp, audit: [AuditRecord]
    ) async throws -> Webhook?
    /// Stops deliveries to the webhook (a receiver's `410`) and drops its pending items.
    /// Not audited: no one changed the configuration (the receiver asked to hear no
    /// more); the listing shows `disabledAt` and the delivery log the `410`.
    func disableWebhook(id: String, at now: Timestamp) async throws
    func recordDelivery(_ delivery: WebhookDelivery) async throws
    /// The newest attempts first, at most `limit`.
    func deliveries(webhookID: String, limit: Int) async throws -> [WebhookDelivery]
    /// Drops log entries older than `cutoff`; returns how many.
    func pruneDeliveries(before cutoff: Timestamp) async throws -> Int

    // MARK: Push subscriptions

    /// Saves the subscription, or — when its endpoint is known — gives the existing one
    /// to `subscription.userID` with the new keys. Returns the stored subscription
    /// (its id unchanged when it existed) and whether it is new.
    func savePushSubscription(_ subscription: PushSubscription) async throws -> (subscription: PushSubscription, created: Bool)
    /// `userID`'s subscriptions, oldest first.
    func pushSubscriptions(of userID: String) async throws -> [PushSubscription]
    /// Removes it when it belongs to `userID` (any owner when `userID` is nil), with what
    /// was recorded as pushed to it; false when there was none.
    func deletePushSubscription(id: String, userID: String?) async throws -> Bool
    /// Records that `seq` of the conversation went to the subscription.
    func recordPushed(subscriptionID: String, conversationID: String, seq: Int64) async throws
    /// The highest `seq` of the conversation pushed to the subscription, nil when none.
    func pushedSeq(subscriptionID: String, conversationID: String) async throws -> Int64?
    /// After `userID` read the conversation up to `seq`: when a message at or below `seq`
    /// was pushed to any of its subscriptions and not cleared yet, marks those cleared and
    /// queues one `pushRead` item (due now) whose `payload` is the JSON array of those
    /// subscriptions' ids (only a browser that showed the notification hears of the
    /// read: a push that shows nothing costs its silent-push allowance). Returns whether
    /// it queued one.
    func enqueueReadPush(userID: String, conversationID: String, seq: Int64, now: Timestamp) async throws -> Bool

    // MARK: The outbox

    /// Queues an event no conversation write carries (none today beyond the writes'
    /// own; for tools and tests). One item per subscribed, enabled webhook.
    func enqueueWebhookEvent(
        _ event: WebhookEventType, conversationID: String, messageID: String?, payload: String?, now: Timestamp
    ) async throws
    /// Leases at most `limit` items of `kind` due at or before `dueBy` whose lease (if
    /// any) ended before `now`, oldest due first, to `owner` until `until`. Two nodes
    /// never hold the same item at once.
    func leaseOutbox(
        kind: OutboxKind, dueBy: Timestamp, now: Timestamp, owner: String, until: Timestamp, limit: Int
    ) async throws -> [OutboxItem]
    /// Removes a finished item (delivered, or given up). False when `owner` no longer
    /// holds its lease (another node took it over): the caller's result is dropped.
    func completeOutbox(itemID: String, owner: String) async throws -> Bool
    /// Sets the item's next attempt and releases the lease. False as for `completeOutbox`.
    func rescheduleOutbox(itemID: String, owner: String, dueAt: Timestamp, attempts: Int) async throws -> Bool
    /// How much waits, of every kind; the oldest `push` due time apart from the rest.
    func outboxDepth() async throws -> OutboxDepth
}

/// The webhook writes with no leaf, for changes no one is recorded as making (tests,
/// tools). The services pass the audit record of the person who made the change.
extension NotificationStore {
    public func saveWebhook(_ webhook: Webhook) async throws {
        try await saveWebhook(webhook, audit: [])
    }

    public func deleteWebhook(id: String) async throws -> Bool {
        try await deleteWebhook(id: id, audit: [])
    }

    public func rotateWebhookSecret(id: String, newSecret: String, previousUntil: Timestamp) async throws -> Webhook? {
        try await rotateWebhookSecret(id: id, newSecret: newSecret, previousUntil: previousUntil, audit: [])
    }
}
