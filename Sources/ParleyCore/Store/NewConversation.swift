/// What to create. `threadKey` identifies the thread (see `ThreadKey`).
public struct NewConversation: Sendable {
    public var conversationID: String
    public var threadKey: String
    public var participants: [Participant]
    public var productID: String?
    public var orderID: String?
    public var subject: String?
    public var labels: [String]
    public var priority: Priority
    public var now: Timestamp
    /// Posted to the conversation, new or existing.
    public var firstMessage: NewMessage?
    /// End-to-end encrypted (`"encrypted": true`): fixed at creation.
    public var encrypted: Bool
    /// Who creates it, for its `conversation.created` audit leaf (the store appends it in
    /// the same transaction, only when it creates the conversation).
    public var auditActor: AuditActor

    public init(
        conversationID: String, threadKey: String, participants: [Participant], productID: String?, orderID: String?,
        subject: String?, labels: [String], priority: Priority, now: Timestamp, firstMessage: NewMessage?,
        encrypted: Bool = false, auditActor: AuditActor = .system
    ) {
        self.auditActor = auditActor
        self.encrypted = encrypted
        self.conversationID = conversationID
        self.threadKey = threadKey
        self.participants = participants
        self.productID = productID
        self.orderID = orderID
        self.subject = subject
        self.labels = labels
        self.priority = priority
        self.now = now
        self.firstMessage = firstMessage
    }
}
