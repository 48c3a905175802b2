import ParleyCore

/// An FAQ entry as `POST /api/faq` or `PUT /api/faq/{id}` gives it. On `PUT`, fields
/// left out keep their values.
public struct FAQDraft: Sendable, Equatable {
    public var scope: FAQScope?
    public var ownerID: String?
    public var language: String?
    public var question: String?
    public var alternatives: [String]?
    public var answer: String?
    public var enabled: Bool?

    public init(
        scope: FAQScope? = nil, ownerID: String? = nil, language: String? = nil, question: String? = nil,
        alternatives: [String]? = nil, answer: String? = nil, enabled: Bool? = nil
    ) {
        self.scope = scope
        self.ownerID = ownerID
        self.language = language
        self.question = question
        self.alternatives = alternatives
        self.answer = answer
        self.enabled = enabled
    }
}
