/// The role of a participant inside one conversation.
public enum ParticipantRole: String, Codable, Sendable, CaseIterable {
    case buyer
    case seller
    case support
}
