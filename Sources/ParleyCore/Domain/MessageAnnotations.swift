/// What the assist features record about a message besides its text: which template it
/// was sent from, and for an automatic answer, which FAQ entry answered and how sure the
/// matcher was. Stored with the message (one JSON column, empty for most messages).
public struct MessageAnnotations: Sendable, Hashable, Codable {
    public var templateID: String?
    public var auto: AutoAnswerMark?

    public init(templateID: String? = nil, auto: AutoAnswerMark? = nil) {
        self.templateID = templateID
        self.auto = auto
    }

    public static let none = MessageAnnotations()

    public var isEmpty: Bool { templateID == nil && auto == nil }

    private enum CodingKeys: String, CodingKey {
        case templateID = "templateId"
        case auto
    }
}

/// The mark of a message that `parley.assistant` posted by itself (`auto` on the wire).
public struct AutoAnswerMark: Sendable, Hashable, Codable {
    public var faqID: String
    /// The matcher's score in [0, 1].
    public var score: Double

    public init(faqID: String, score: Double) {
        self.faqID = faqID
        self.score = score
    }

    private enum CodingKeys: String, CodingKey {
        case faqID = "faqId"
        case score
    }
}
