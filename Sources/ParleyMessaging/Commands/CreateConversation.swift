import ParleyCore

/// Open a thread between participants about a product or an order, or find the one
/// that exists (REST `POST /api/conversations`), optionally posting a first message.
public struct CreateConversation: Sendable {
    public var participants: [Participant]
    public var productID: String?
    public var orderID: String?
    public var subject: String?
    public var labels: [String]
    public var priority: Priority
    public var firstMessage: MessageDraft?
    /// End-to-end encrypted (`"encrypted": true`): a thread of its own, beside any plain
    /// one between the same people about the same thing.
    public var encrypted: Bool

    public init(
        participants: [Participant], productID: String? = nil, orderID: String? = nil, subject: String? = nil,
        labels: [String] = [], priority: Priority = .medium, firstMessage: MessageDraft? = nil, encrypted: Bool = false
    ) {
        self.encrypted = encrypted
        self.participants = participants
        self.productID = productID
        self.orderID = orderID
        self.subject = subject
        self.labels = labels
        self.priority = priority
        self.firstMessage = firstMessage
    }
}
