/// A Message as the server returns it, with the end-to-end encryption fields: `content` is
/// `""` and `encrypted` holds the envelope as sent; `commitment` and `receipt` (the
/// server's Ed25519 signature over the commitment's place) when the sender franked it.
/// Plain messages in the same list (a `system` message) have no `encrypted`.
public struct EncryptedMessage: Codable, Sendable, Hashable {
    public var messageId: String
    public var conversationId: String
    public var seq: Int64
    public var senderId: String
    public var content: String
    public var timestamp: String
    public var type: String
    public var clientMessageId: String?
    public var encrypted: EncryptedEnvelope?
    public var commitment: String?
    public var receipt: String?

    /// The commitment wherever the server put it: beside the Message's fields or in the envelope.
    public var anyCommitment: String? { commitment ?? encrypted?.commitment }
}

/// `GET …/messages` decoded with the encryption fields.
public struct EncryptedMessagePage: Codable, Sendable {
    public var messages: [EncryptedMessage]
    public var hasMore: Bool
}
