/// One stored message. `seq` is its gap-free position in its conversation, from 1.
public struct Message: Sendable, Hashable {
    public var messageID: String
    public var conversationID: String
    public var seq: Int64
    public var senderID: String
    public var content: String
    public var timestamp: Timestamp
    /// The other participants whose read position has reached this message.
    public var readBy: [String]
    public var type: MessageType
    public var clientMessageID: String?
    /// The template it was sent from, or the FAQ entry that answered automatically.
    public var annotations: MessageAnnotations

    public init(
        messageID: String,
        conversationID: String,
        seq: Int64,
        senderID: String,
        content: String,
        timestamp: Timestamp,
        readBy: [String],
        type: MessageType,
        clientMessageID: String?,
        annotations: MessageAnnotations = .none
    ) {
        self.messageID = messageID
        self.conversationID = conversationID
        self.seq = seq
        self.senderID = senderID
        self.content = content
        self.timestamp = timestamp
        self.readBy = readBy
        self.type = type
        self.clientMessageID = clientMessageID
        self.annotations = annotations
    }
}
