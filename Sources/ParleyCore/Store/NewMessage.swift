/// A message to append. `conversationID` is ignored inside `NewConversation`.
public struct NewMessage: Sendable {
    public var messageID: String
    public var conversationID: String
    public var senderID: String
    public var content: String
    public var type: MessageType
    public var clientMessageID: String?
    public var now: Timestamp
    public var annotations: MessageAnnotations
    /// Sentiment and masking to apply if the conversation calls for them (``screened(in:)``).
    public var screening: MessageScreening?
    /// The upload an `image` or `file` message carries: the store claims it inside the
    /// write (``AttachmentClaim``) and records it in `annotations.attachment`.
    public var attachmentID: String?

    public init(
        messageID: String, conversationID: String, senderID: String, content: String, type: MessageType,
        clientMessageID: String?, now: Timestamp, annotations: MessageAnnotations = .none,
        screening: MessageScreening? = nil, attachmentID: String? = nil
    ) {
        self.attachmentID = attachmentID
        self.screening = screening
        self.messageID = messageID
        self.conversationID = conversationID
        self.senderID = senderID
        self.content = content
        self.type = type
        self.clientMessageID = clientMessageID
        self.now = now
        self.annotations = annotations
    }

    /// What search indexes for the message: its text and its attachment's file name.
    public var searchableText: String {
        guard let name = annotations.attachment?.name else { return content }
        return content + "\n" + name
    }
}
