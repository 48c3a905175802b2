/// What a message carries.
public enum MessageType: String, Codable, Sendable, CaseIterable {
    case text
    case image
    case file
    /// Posted by the marketplace's backend (`service` role) only.
    case system
}
