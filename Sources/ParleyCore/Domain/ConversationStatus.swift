/// Where a conversation stands in a support desk's workflow.
public enum ConversationStatus: String, Codable, Sendable, CaseIterable {
    case open
    case pending
    case closed
}

/// How urgent a conversation is.
public enum Priority: String, Codable, Sendable, CaseIterable {
    case low
    case medium
    case high
}

/// What a message carries.
public enum MessageType: String, Codable, Sendable, CaseIterable {
    case text
    case image
    case file
    /// Posted by the marketplace's backend (`service` role) only.
    case system
}
