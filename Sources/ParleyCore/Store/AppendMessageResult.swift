/// What `appendMessage` did: the message stored (or the earlier one with the same
/// `clientMessageID`), and the conversation as the write left it.
public struct AppendMessageResult: Sendable {
    public var message: Message
    /// The conversation as the write left it (participants, assignee, status).
    public var conversation: Conversation
    /// False when an earlier message with the same `clientMessageID` was returned.
    public var created: Bool
    /// True when this message moved the conversation from `closed` to `open`.
    public var reopened: Bool
    /// The message's place in the store's commit order, for resume cursors.
    public var position: Int64

    public init(message: Message, conversation: Conversation, created: Bool, reopened: Bool, position: Int64) {
        self.message = message
        self.conversation = conversation
        self.created = created
        self.reopened = reopened
        self.position = position
    }
}

extension AppendMessageResult {
    /// `request` stored as message `seq` at `position`, and `conversation` as that left it
    /// (its counters and the sender's last seen moved on). For stores, after the write.
    public init(appended request: NewMessage, seq: Int64, position: Int64, to conversation: Conversation, reopened: Bool) {
        var conversation = conversation
        conversation.lastSeq = seq
        conversation.lastActivityAt = max(conversation.lastActivityAt, request.now)
        if let index = conversation.participants.firstIndex(where: { $0.userID.isSameID(as: request.senderID) }) {
            conversation.participants[index].lastSeen = request.now
        }
        let message = Message(
            messageID: request.messageID, conversationID: request.conversationID, seq: seq,
            senderID: request.senderID, content: request.content, timestamp: request.now, readBy: [],
            type: request.type, clientMessageID: request.clientMessageID, annotations: request.annotations)
        self.init(message: message, conversation: conversation, created: true, reopened: reopened, position: position)
    }
}
