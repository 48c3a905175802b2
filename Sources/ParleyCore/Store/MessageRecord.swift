/// A message as both stores keep it (a row of `messages`), before its values are checked.
public struct MessageRecord: Sendable, Equatable {
    public var id: String
    public var conversationID: String
    public var seq: Int64
    public var senderID: String
    public var content: String
    /// A `MessageType`'s raw value.
    public var type: String
    public var clientMessageID: String?
    /// Milliseconds since 1970.
    public var createdAt: Int64

    public init(
        id: String, conversationID: String, seq: Int64, senderID: String, content: String, type: String,
        clientMessageID: String?, createdAt: Int64
    ) {
        self.id = id
        self.conversationID = conversationID
        self.seq = seq
        self.senderID = senderID
        self.content = content
        self.type = type
        self.clientMessageID = clientMessageID
        self.createdAt = createdAt
    }

    /// The message, read by those whose position in `readPositions` (its conversation's)
    /// reached it; `StoredValueError` for a type no version of Parley writes.
    public func message(readPositions: ReadPositions) throws(StoredValueError) -> Message {
        Message(
            messageID: id,
            conversationID: conversationID,
            seq: seq,
            senderID: senderID,
            content: content,
            timestamp: Timestamp(millisecondsSince1970: createdAt),
            readBy: readPositions.readers(ofMessage: seq, sentBy: senderID),
            type: try MessageType(stored: type, column: "messages.type", row: "message \(id)"),
            clientMessageID: clientMessageID)
    }
}
