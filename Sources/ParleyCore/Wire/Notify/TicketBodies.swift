/// `POST /api/conversations/{id}/ticket`: ask for a help-desk ticket.
public struct TicketRequestBody: Codable, Sendable {
    public var reason: String?
    public init(reason: String?) { self.reason = reason }
}

/// `PUT /api/conversations/{id}/ticket` (`service`): the help desk's ticket and its state.
public struct TicketUpdateBody: Codable, Sendable {
    public var ticketID: String
    public var url: String?
    public var state: SupportTicketState

    public init(ticketID: String, url: String?, state: SupportTicketState) {
        self.ticketID = ticketID
        self.url = url
        self.state = state
    }

    private enum CodingKeys: String, CodingKey {
        case ticketID = "ticketId"
        case url, state
    }
}
