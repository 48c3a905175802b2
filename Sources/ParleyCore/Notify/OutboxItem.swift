/// What an outbox item asks for.
public enum OutboxKind: String, Sendable, Codable, CaseIterable {
    /// Deliver `eventType` about `conversationID` (and `messageID`) to the webhook `target`.
    case webhook
    /// Push the newest message of `conversationID` (`messageID`, `seq`) to every
    /// subscription of the user `target`, if it is still unread and the user stayed away.
    /// `dueAt` is the time of the newest unpushed message (or of a retry): it is due
    /// `--push-delay` after.
    case push
    /// Tell the user `target`'s devices that `conversationID` was read up to `seq`, so
    /// they remove a notification already shown.
    case pushRead = "push_read"
}

/// One piece of work in the durable outbox, written in the same transaction as the change
/// that caused it and drained by leases: every node may take items, an item leased by a
/// node that died is taken again when its lease ends.
public struct OutboxItem: Sendable, Hashable {
    /// Also the `webhook-id` of a webhook delivery: the same on every attempt.
    public var itemID: String
    public var kind: OutboxKind
    /// The webhook id (`webhook`) or the user id (`push`, `pushRead`).
    public var target: String
    public var eventType: WebhookEventType?
    public var conversationID: String
    public var messageID: String?
    public var seq: Int64?
    /// Extra JSON the event needs beyond what the store holds, if any.
    public var payload: String?
    public var createdAt: Timestamp
    public var dueAt: Timestamp
    /// Attempts made so far (0 for a new item).
    public var attempts: Int

    public init(
        itemID: String, kind: OutboxKind, target: String, eventType: WebhookEventType?, conversationID: String,
        messageID: String?, seq: Int64?, payload: String?, createdAt: Timestamp, dueAt: Timestamp, attempts: Int
    ) {
        self.itemID = itemID
        self.kind = kind
        self.target = target
        self.eventType = eventType
        self.conversationID = conversationID
        self.messageID = messageID
        self.seq = seq
        self.payload = payload
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.attempts = attempts
    }
}

/// How much waits in the outbox (for metrics).
public struct OutboxDepth: Sendable, Hashable {
    public var pending: Int
    /// `dueAt` of the oldest webhook or read push not delivered yet, nil when none waits.
    public var oldestDueAt: Timestamp?
    /// `dueAt` of the oldest `push` item not delivered yet, nil when none waits. Kept
    /// apart because a push is due `--push-delay` after its `dueAt`, which only the drain
    /// knows: one still inside its delay is not overdue.
    public var oldestPushDueAt: Timestamp?

    public init(pending: Int, oldestDueAt: Timestamp?, oldestPushDueAt: Timestamp? = nil) {
        self.pending = pending
        self.oldestDueAt = oldestDueAt
        self.oldestPushDueAt = oldestPushDueAt
    }
}
