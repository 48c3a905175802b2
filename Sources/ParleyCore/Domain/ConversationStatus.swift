/// Where a conversation stands in a support desk's workflow.
public enum ConversationStatus: String, Codable, Sendable, CaseIterable {
    case open
    case pending
    case closed
}
