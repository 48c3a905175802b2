/// A member of a conversation.
public struct Participant: Sendable, Hashable {
    public var userID: String
    public var role: ParticipantRole
    /// When this participant last moved its read position in the conversation
    /// (by reading or by sending), or `nil` if it never did.
    public var lastSeen: Timestamp?

    public init(userID: String, role: ParticipantRole, lastSeen: Timestamp? = nil) {
        self.userID = userID
        self.role = role
        self.lastSeen = lastSeen
    }
}
