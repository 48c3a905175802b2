/// A conversation as one user sees it: with that user's unread count and archive flag,
/// and the newest message.
public struct ConversationView: Sendable, Hashable {
    public var conversation: Conversation
    public var lastMessage: Message?
    public var unreadCount: Int64
    public var archived: Bool

    public init(conversation: Conversation, lastMessage: Message?, unreadCount: Int64, archived: Bool) {
        self.conversation = conversation
        self.lastMessage = lastMessage
        self.unreadCount = unreadCount
        self.archived = archived
    }
}
