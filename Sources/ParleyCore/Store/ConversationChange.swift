/// A change to a conversation's shared state.
public enum ConversationChange: Sendable, Equatable {
    case status(ConversationStatus)
    case labels([String])
    case priority(Priority)
    case assignee(String?)
}
