/// One page of search results, best first.
public struct SearchPage: Sendable {
    public var messages: [Message]
    /// Whether more results follow this page.
    public var hasMore: Bool

    public init(messages: [Message], hasMore: Bool) {
        self.messages = messages
        self.hasMore = hasMore
    }
}
