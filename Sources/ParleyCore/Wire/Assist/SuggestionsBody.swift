/// The answer of `GET /api/conversations/{id}/suggestions`.
public struct SuggestionsBody: Codable, Sendable {
    public struct Item: Codable, Sendable, Equatable {
        /// `faq`, `template` or `history`.
        public var source: String
        public var content: String
        public var faqId: String?
        public var templateId: String?
        public var messageId: String?
        public var score: Double

        public init(
            source: String, content: String, faqId: String? = nil, templateId: String? = nil, messageId: String? = nil,
            score: Double
        ) {
            self.source = source
            self.content = content
            self.faqId = faqId
            self.templateId = templateId
            self.messageId = messageId
            self.score = score
        }
    }

    /// The buyer message the suggestions answer; `null` when none waits.
    public var forMessageId: String?
    public var suggestions: [Item]

    public init(forMessageId: String?, suggestions: [Item]) {
        self.forMessageId = forMessageId
        self.suggestions = suggestions
    }

    private enum CodingKeys: String, CodingKey { case forMessageId, suggestions }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(forMessageId, forKey: .forMessageId)
        try container.encode(suggestions, forKey: .suggestions)
    }
}
