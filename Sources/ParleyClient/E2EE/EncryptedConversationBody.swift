import ParleyCore

/// The body of `POST /api/conversations` for an end-to-end encrypted conversation: the
/// usual fields with `"encrypted": true` and no first message (a first message would have
/// to be encrypted with an epoch key that cannot exist before the conversation does).
public struct EncryptedConversationBody: Codable, Sendable {
    public var participants: [CreateConversationBody.ParticipantBody]
    public var productId: String?
    public var orderId: String?
    public var subject: String?
    public var encrypted: Bool

    public init(participants: [CreateConversationBody.ParticipantBody], productId: String? = nil, orderId: String? = nil, subject: String? = nil) {
        self.participants = participants
        self.productId = productId
        self.orderId = orderId
        self.subject = subject
        self.encrypted = true
    }
}
