/// One page of an inbox, and where the next one starts (`nil`: this was the last).
public struct ConversationListPage: Sendable {
    public var conversations: [ConversationView]
    public var nextCursor: InboxCursor?

    public init(conversations: [ConversationView], nextCursor: InboxCursor?) {
        self.conversations = conversations
        self.nextCursor = nextCursor
    }
}
