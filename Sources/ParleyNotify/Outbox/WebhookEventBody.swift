import ParleyCore

/// The JSON of one webhook delivery: `{"type", "timestamp", "data"}`. `data` is the
/// conversation (conversation events), the message (`message.created`), or the
/// conversation with its last messages (`ticket.requested`), as a `service` sees them.
struct WebhookEventBody: Encodable, Sendable {
    var type: WebhookEventType
    var timestamp: Timestamp
    var data: WebhookEventData
}

enum WebhookEventData: Encodable, Sendable {
    case conversation(ConversationView)
    case message(Message)
    case ticket(TicketRequest)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .conversation(let view): try view.encode(to: encoder)
        case .message(let message): try message.encode(to: encoder)
        case .ticket(let request): try request.encode(to: encoder)
        }
    }
}

/// `ticket.requested`'s data: what the help desk needs to open a ticket.
struct TicketRequest: Encodable, Sendable {
    /// The contract's "last 200 messages".
    static let messageCount = 200

    var conversation: ConversationView
    var ticket: SupportTicket?
    /// Oldest first.
    var messages: [Message]
}
