/// A change to a conversation's shared state.
public enum ConversationChange: Sendable, Equatable {
    case status(ConversationStatus)
    case labels([String])
    case priority(Priority)
    case assignee(String?)
    /// Hands the conversation to a person: records why and raises its priority to `high`.
    /// The server's own decision, never a request's.
    case escalate(Escalation)
    /// Sets `metadata.ticket` (a request, or the help desk's answer). The server's own
    /// decision after its checks; a move to `requested` also queues `ticket.requested`.
    case ticket(SupportTicket)
}
