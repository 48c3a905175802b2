/// One user's own state in a conversation as both stores keep it (`user_states`): how
/// far it has read, and whether it archived the conversation.
public struct ConversationUserState: Sendable, Equatable {
    /// The `seq` of the newest message the user has read (0: none).
    public var readSeq: Int64
    public var archived: Bool

    /// A user who never read, sent or archived there.
    public static let untouched = ConversationUserState(readSeq: 0, archived: false)

    public init(readSeq: Int64, archived: Bool) {
        self.readSeq = readSeq
        self.archived = archived
    }

    /// `conversation` as this user sees it.
    public func view(of conversation: Conversation, lastMessage: Message?) -> ConversationView {
        ConversationView(
            conversation: conversation, lastMessage: lastMessage, unreadCount: max(0, conversation.lastSeq - readSeq),
            archived: archived)
    }
}
