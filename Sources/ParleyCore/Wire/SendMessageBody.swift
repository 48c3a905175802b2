/// The body of `POST …/messages` (and a new conversation's first `message`): either
/// `content`, or `templateId` with `values` to render a template and send the result.
public struct SendMessageBody: Codable, Sendable {
    public var content: String?
    public var type: MessageType?
    public var clientMessageId: String?
    public var templateId: String?
    /// Values for the template's variables (`custom.carrier`…), with `templateId`.
    public var values: [String: String]?
    /// The upload an `image` or `file` message carries.
    public var attachmentId: String?
    /// An end-to-end encrypted message's ciphertext (then no `content`).
    public var encrypted: EncryptedEnvelope?
    /// The franking commitment, also accepted here beside `encrypted`.
    public var commitment: String?

    public init(encrypted: EncryptedEnvelope, clientMessageId: String, commitment: String? = nil) {
        self.encrypted = encrypted
        self.clientMessageId = clientMessageId
        self.commitment = commitment
        self.type = .text
    }

    public init(content: String, type: MessageType? = nil, clientMessageId: String? = nil, attachmentId: String? = nil) {
        self.attachmentId = attachmentId
        self.content = content
        self.type = type
        self.clientMessageId = clientMessageId
    }

    public init(templateId: String, values: [String: String] = [:], clientMessageId: String? = nil) {
        self.templateId = templateId
        self.values = values
        self.clientMessageId = clientMessageId
    }
}
