/// How urgent a conversation is.
public enum Priority: String, Codable, Sendable, CaseIterable {
    case low
    case medium
    case high
}
