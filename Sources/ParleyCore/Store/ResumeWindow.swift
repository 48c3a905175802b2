/// Which messages a resume page (`messages(after:visibleTo:limit:)`) reads, and how: the
/// plan both stores share.
///
/// A resume page costs what it returns, not what the user ever received. Reading every
/// message of the user's conversations through the `(conversation_id, seq)` index and
/// sorting by position would read the whole backlog on every page, quadratic in a long
/// one. So only conversations with a message after the cursor count, and the page lies
/// between the cursor and the newest of their positions; unless those conversations are
/// few and short, the store walks positions in order from the cursor (its primary key),
/// so each page goes on where the last ended and stops after `limit` rows.
public struct ResumeWindow: Sendable, Equatable {
    /// A conversation the user takes part in with a message after the cursor.
    public struct ActiveConversation: Sendable, Equatable {
        public var id: String
        public var lastSeq: Int64
        public var lastPosition: Int64

        public init(id: String, lastSeq: Int64, lastPosition: Int64) {
            self.id = id
            self.lastSeq = lastSeq
            self.lastPosition = lastPosition
        }
    }

    /// Active conversations holding at most this many messages in all (a quiet user) are
    /// read through their index; past it, positions are walked.
    public static let indexedHistory: Int64 = 5_000

    public let conversationIDs: [String]
    /// Positions after `after`, up to and including `through`.
    public let after: Int64
    public let through: Int64
    /// Walk positions in order (a long history) instead of reading each conversation
    /// through its index (a quiet user).
    public let walksPositions: Bool

    /// The window after `position`, or `nil` when no conversation has a message after it
    /// (the page is empty without reading any message).
    public init?(after position: Int64, active: [ActiveConversation]) {
        guard !active.isEmpty else { return nil }
        conversationIDs = active.map(\.id)
        after = position
        through = active.map(\.lastPosition).max() ?? position
        walksPositions = active.reduce(Int64(0)) { $0 + $1.lastSeq } > Self.indexedHistory
    }
}
