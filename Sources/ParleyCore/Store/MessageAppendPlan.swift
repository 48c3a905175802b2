/// What appending a new message does to its conversation, decided the same way by every
/// store inside the write: the next `seq`, and whether a closed conversation reopens
/// (`Policy.reopensClosed`).
public struct MessageAppendPlan: Sendable {
    public let seq: Int64
    public let reopens: Bool
    /// The conversation as the message leaves it, before its counters move
    /// (`AppendMessageResult(appended:seq:position:to:reopened:)` moves them).
    public let conversation: Conversation

    public init(_ request: NewMessage, to conversation: Conversation) {
        seq = conversation.lastSeq + 1
        reopens = conversation.status == .closed && Policy.reopensClosed(senderID: request.senderID, conversation)
        var after = conversation
        if reopens { after.status = .open }
        self.conversation = after
    }
}
