public enum PresenceState: String, Codable, Sendable {
    case online
    case offline
}
