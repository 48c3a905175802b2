/// Why and when a conversation was handed to a person (`metadata.escalation`).
public struct Escalation: Sendable, Hashable, Codable {
    public var at: Timestamp
    public var reason: EscalationReason
    /// The message that caused it.
    public var messageID: String?

    public init(at: Timestamp, reason: EscalationReason, messageID: String?) {
        self.at = at
        self.reason = reason
        self.messageID = messageID
    }

    private enum CodingKeys: String, CodingKey {
        case at, reason
        case messageID = "messageId"
    }
}

/// The contract's reasons for escalating.
public enum EscalationReason: String, Sendable, Codable, CaseIterable {
    case negativeSentiment = "negative_sentiment"
    case askedForHuman = "asked_for_human"
    case unhelpfulAnswer = "unhelpful_answer"
}
