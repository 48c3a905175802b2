/// Which messages `messages(conversationID:page:)` returns.
public struct MessagePageRequest: Sendable, Equatable {
    public enum Anchor: Sendable, Equatable {
        case newest
        case before(Int64)
        case after(Int64)
    }

    public var anchor: Anchor
    public var limit: Int

    public init(anchor: Anchor, limit: Int) {
        self.anchor = anchor
        self.limit = limit
    }
}
