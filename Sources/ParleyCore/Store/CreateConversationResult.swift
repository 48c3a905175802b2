/// What `createConversation` did: the conversation (new or the thread's existing one), and
/// the first message when the request posted one.
public struct CreateConversationResult: Sendable {
    public var conversation: Conversation
    public var created: Bool
    /// The posted first message, when the request had one.
    public var firstMessage: AppendMessageResult?

    public init(conversation: Conversation, created: Bool, firstMessage: AppendMessageResult?) {
        self.conversation = conversation
        self.created = created
        self.firstMessage = firstMessage
    }
}
