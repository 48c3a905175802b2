/// A page of messages in ascending `seq` order.
public struct MessagePage: Sendable, Hashable {
    public var messages: [Message]
    /// Whether more messages lie beyond the page in the direction of travel.
    public var hasMore: Bool

    public init(messages: [Message], hasMore: Bool) {
        self.messages = messages
        self.hasMore = hasMore
    }
}
