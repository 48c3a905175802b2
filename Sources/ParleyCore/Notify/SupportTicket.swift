/// A conversation's hand-off to the help desk (`metadata.ticket`): requested by a person
/// or on escalation, then kept in step by the help desk's `PUT …/ticket`.
public struct SupportTicket: Sendable, Hashable, Codable {
    public var state: SupportTicketState
    public var requestedAt: Timestamp
    /// Who asked for it: a user id, or `parley.assistant` on escalation.
    public var requestedBy: String
    /// Why, as the requester said it (at most `Limits`' content length).
    public var reason: String?
    /// The help desk's own id and page, once it answered.
    public var ticketID: String?
    public var url: String?
    /// When the help desk last changed it.
    public var updatedAt: Timestamp?

    public init(
        state: SupportTicketState, requestedAt: Timestamp, requestedBy: String, reason: String?,
        ticketID: String? = nil, url: String? = nil, updatedAt: Timestamp? = nil
    ) {
        self.state = state
        self.requestedAt = requestedAt
        self.requestedBy = requestedBy
        self.reason = reason
        self.ticketID = ticketID
        self.url = url
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case state, requestedAt, requestedBy, reason, url, updatedAt
        case ticketID = "ticketId"
    }
}

/// `requested` by Parley; the others are the help desk's.
public enum SupportTicketState: String, Sendable, Codable, CaseIterable {
    case requested, open, pending, solved, closed

    /// `solved` and `closed` close the conversation.
    public var closesConversation: Bool { self == .solved || self == .closed }
}
