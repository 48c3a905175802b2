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

    public init(
        messageID: String, conversationID: String, senderID: String, content: String, type: MessageType,
        clientMessageID: String?, now: Timestamp, annotations: MessageAnnotations = .none,
        screening: MessageScreening? = nil
    ) {
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
}
