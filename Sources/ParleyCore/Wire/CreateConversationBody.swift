/// Bodies clients send, as the contract names their fields.

public struct CreateConversationBody: Codable, Sendable {
    public struct ParticipantBody: Codable, Sendable {
        public var userId: String
        public var role: ParticipantRole
        public init(userId: String, role: ParticipantRole) {
            self.userId = userId
            self.role = role
        }
    }

    /// The first message: the same fields as a send.
    public typealias FirstMessageBody = SendMessageBody

    public var participants: [ParticipantBody]
    public var productId: String?
    public var orderId: String?
    public var subject: String?
    public var labels: [String]?
    public var priority: Priority?
    public var message: FirstMessageBody?
    /// End-to-end encrypted (default false).
    public var encrypted: Bool?

    public init(
        participants: [ParticipantBody], productId: String? = nil, orderId: String? = nil, subject: String? = nil,
        labels: [String]? = nil, priority: Priority? = nil, message: FirstMessageBody? = nil, encrypted: Bool? = nil
    ) {
        self.encrypted = encrypted
        self.participants = participants
        self.productId = productId
        self.orderId = orderId
        self.subject = subject
        self.labels = labels
        self.priority = priority
        self.message = message
    }
}
