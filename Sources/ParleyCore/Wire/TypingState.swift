public enum TypingState: String, Codable, Sendable {
    case start
    case stop
}
