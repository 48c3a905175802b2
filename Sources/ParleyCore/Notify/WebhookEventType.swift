/// The contract's webhook events.
public enum WebhookEventType: String, Sendable, Codable, CaseIterable {
    case conversationCreated = "conversation.created"
    case conversationUpdated = "conversation.updated"
    case conversationEscalated = "conversation.escalated"
    case messageCreated = "message.created"
    case ticketRequested = "ticket.requested"
}
