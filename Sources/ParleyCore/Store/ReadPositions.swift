/// Each participant's read position in one conversation, in participant order: what a
/// message's `readBy` is made of.
public struct ReadPositions: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var userID: String
        /// The `seq` of the newest message the user has read (0: none).
        public var seq: Int64

        public init(userID: String, seq: Int64) {
            self.userID = userID
            self.seq = seq
        }
    }

    public private(set) var entries: [Entry]

    public init(_ entries: [Entry] = []) { self.entries = entries }

    public mutating func append(userID: String, seq: Int64) { entries.append(Entry(userID: userID, seq: seq)) }

    /// Who has read message `seq`: every participant whose position reached it, but its
    /// sender, in participant order.
    public func readers(ofMessage seq: Int64, sentBy senderID: String) -> [String] {
        entries.filter { $0.userID != senderID && $0.seq >= seq }.map(\.userID)
    }
}
