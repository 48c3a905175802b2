/// Answer of `GET /api/conversations`.
public struct ConversationListBody: Codable, Sendable {
    public var conversations: [ConversationView]
    public var nextCursor: String?
    public init(conversations: [ConversationView], nextCursor: String?) {
        self.conversations = conversations
        self.nextCursor = nextCursor
    }

    private enum CodingKeys: String, CodingKey { case conversations, nextCursor }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(conversations, forKey: .conversations)
        try container.encode(nextCursor, forKey: .nextCursor)  // null, not absent, on the last page
    }
}
