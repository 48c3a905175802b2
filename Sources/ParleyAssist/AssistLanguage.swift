/// The languages the assist features understand; templates and FAQ entries may name one.
public enum AssistLanguage: String, Sendable, Codable, CaseIterable {
    case es
    case en
}
