/// A participant as both stores keep it (`participants` joined with the user's
/// `user_states`), before its values are checked.
public struct ParticipantRecord: Sendable, Equatable {
    public var userID: String
    /// A `ParticipantRole`'s raw value.
    public var role: String
    /// Milliseconds since 1970; `nil` before the user first read or sent.
    public var lastSeen: Int64?

    public init(userID: String, role: String, lastSeen: Int64?) {
        self.userID = userID
        self.role = role
        self.lastSeen = lastSeen
    }

    /// The participant, or `StoredValueError` for a role no version of Parley writes.
    public func participant(inConversation conversationID: String) throws(StoredValueError) -> Participant {
        Participant(
            userID: userID,
            role: try ParticipantRole(
                stored: role, column: "participants.role", row: "conversation \(conversationID), user \(userID)"),
            lastSeen: lastSeen.map(Timestamp.init(millisecondsSince1970:)))
    }
}
