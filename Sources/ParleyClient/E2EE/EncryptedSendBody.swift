/// The body of `POST /api/conversations/{conversationId}/messages` in an encrypted
/// conversation: no `content`, the `encrypted` envelope, and a `clientMessageId`
/// (required: it is part of the additional data).
public struct EncryptedSendBody: Codable, Sendable, Hashable {
    public var type: String
    public var encrypted: EncryptedEnvelope
    public var clientMessageId: String
    /// The franking commitment, also beside the envelope for servers that read it there.
    public var commitment: String?

    public init(encrypted: EncryptedEnvelope, clientMessageId: String, type: String = "text") {
        self.type = type
        self.encrypted = encrypted
        self.clientMessageId = clientMessageId
        self.commitment = encrypted.commitment
    }
}
