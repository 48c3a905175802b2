/// A seller's choices for the assist features.
public struct AssistSettings: Sendable, Hashable, Codable {
    /// Whether `parley.assistant` answers the seller's buyers by itself. On by default:
    /// a seller with FAQ entries wants them used.
    public var autoAnswer: Bool

    public init(autoAnswer: Bool = true) {
        self.autoAnswer = autoAnswer
    }
}
