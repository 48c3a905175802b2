/// A conversation's place in an inbox page: its activity as of the page's snapshot, then
/// its id (both descending).
public struct InboxEntry: Sendable, Hashable {
    public var activityAt: Timestamp
    public var conversationID: String

    public init(activityAt: Timestamp, conversationID: String) {
        self.activityAt = activityAt
        self.conversationID = conversationID
    }

    /// Whether `self` comes before `other` in an inbox (newer activity first; equal
    /// activity: the greater id first).
    public func precedes(_ other: InboxEntry) -> Bool {
        activityAt != other.activityAt ? activityAt > other.activityAt : conversationID > other.conversationID
    }
}
