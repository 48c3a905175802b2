/// A thread between a buyer, a seller and possibly support, about an order, a product or
/// nothing in particular.
public struct Conversation: Sendable, Hashable {
    public var conversationID: String
    public var participants: [Participant]
    public var productID: String?
    public var orderID: String?
    public var subject: String?
    public var status: ConversationStatus
    public var labels: [String]
    public var priority: Priority
    public var assignedTo: String?
    public var createdAt: Timestamp
    /// Time of the newest message, or of creation when there is none.
    public var lastActivityAt: Timestamp
    /// `seq` of the newest message; 0 when there is none.
    public var lastSeq: Int64
    /// Set once the conversation was handed to a person (`metadata.escalation`).
    public var escalation: Escalation?
    /// The help-desk ticket (`metadata.ticket`), once one was requested.
    public var ticket: SupportTicket?
    /// End-to-end encryption (`"encrypted": true` at creation, never changed after); nil
    /// for a plain conversation.
    public var encryption: ConversationEncryption?

    /// Whether the conversation is end-to-end encrypted: the server holds only ciphertext.
    public var isEncrypted: Bool { encryption != nil }

    public init(
        conversationID: String,
        participants: [Participant],
        productID: String?,
        orderID: String?,
        subject: String?,
        status: ConversationStatus,
        labels: [String],
        priority: Priority,
        assignedTo: String?,
        createdAt: Timestamp,
        lastActivityAt: Timestamp,
        lastSeq: Int64,
        escalation: Escalation? = nil,
        ticket: SupportTicket? = nil,
        encryption: ConversationEncryption? = nil
    ) {
        self.encryption = encryption
        self.escalation = escalation
        self.ticket = ticket
        self.conversationID = conversationID
        self.participants = participants
        self.productID = productID
        self.orderID = orderID
        self.subject = subject
        self.status = status
        self.labels = labels
        self.priority = priority
        self.assignedTo = assignedTo
        self.createdAt = createdAt
        self.lastActivityAt = lastActivityAt
        self.lastSeq = lastSeq
    }

    /// Whether `userID` (compared as bytes, see `OpaqueID`) takes part in the conversation.
    public func isParticipant(_ userID: String) -> Bool {
        participants.contains { $0.userID.isSameID(as: userID) }
    }

    /// `userID`'s role in the conversation, nil when it does not take part.
    public func role(of userID: String) -> ParticipantRole? {
        participants.first { $0.userID.isSameID(as: userID) }?.role
    }
}
