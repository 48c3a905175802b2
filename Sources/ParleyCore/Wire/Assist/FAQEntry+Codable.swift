/// The contract's JSON shape of an FAQ entry. Its stored vectors stay inside the server.
extension FAQEntry: Codable {
    private enum CodingKeys: String, CodingKey {
        case faqID = "faqId"
        case scope
        case ownerID = "ownerId"
        case language, question, alternatives, answer, enabled, stats, createdAt, updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            faqID: try container.decode(String.self, forKey: .faqID),
            scope: try container.decode(FAQScope.self, forKey: .scope),
            ownerID: try container.decodeIfPresent(String.self, forKey: .ownerID),
            language: try container.decodeIfPresent(String.self, forKey: .language),
            question: try container.decode(String.self, forKey: .question),
            alternatives: try container.decode([String].self, forKey: .alternatives),
            answer: try container.decode(String.self, forKey: .answer),
            enabled: try container.decode(Bool.self, forKey: .enabled),
            stats: try container.decode(FAQStats.self, forKey: .stats),
            createdAt: try container.decode(Timestamp.self, forKey: .createdAt),
            updatedAt: try container.decode(Timestamp.self, forKey: .updatedAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(faqID, forKey: .faqID)
        try container.encode(scope, forKey: .scope)
        try container.encode(ownerID, forKey: .ownerID)
        try container.encode(language, forKey: .language)
        try container.encode(question, forKey: .question)
        try container.encode(alternatives, forKey: .alternatives)
        try container.encode(answer, forKey: .answer)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(stats, forKey: .stats)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// The body of `POST /api/faq` and `PUT /api/faq/{id}` (on `PUT`, fields left out keep
/// their values); `AssistService` takes it as it is.
public struct FAQEntryBody: Codable, Sendable {
    public var scope: FAQScope?
    public var ownerId: String?
    public var language: String?
    public var question: String?
    public var alternatives: [String]?
    public var answer: String?
    public var enabled: Bool?

    public init(
        scope: FAQScope? = nil, ownerId: String? = nil, language: String? = nil, question: String? = nil,
        alternatives: [String]? = nil, answer: String? = nil, enabled: Bool? = nil
    ) {
        self.scope = scope
        self.ownerId = ownerId
        self.language = language
        self.question = question
        self.alternatives = alternatives
        self.answer = answer
        self.enabled = enabled
    }
}

/// The answer of `GET /api/faq`.
public struct FAQListBody: Codable, Sendable {
    public var entries: [FAQEntry]
    public init(entries: [FAQEntry]) { self.entries = entries }
}

/// The body of `POST /api/faq/match`.
public struct FAQMatchBody: Codable, Sendable {
    public var text: String
    public var sellerId: String?
    public init(text: String, sellerId: String? = nil) {
        self.text = text
        self.sellerId = sellerId
    }
}

/// One match of `POST /api/faq/match`.
public struct FAQMatchItemBody: Codable, Sendable, Equatable {
    public var faqId: String
    public var question: String
    public var answer: String
    public var score: Double
    public init(faqId: String, question: String, answer: String, score: Double) {
        self.faqId = faqId
        self.question = question
        self.answer = answer
        self.score = score
    }
}

/// The answer of `POST /api/faq/match`: `answer` is `null` when the server would not
/// answer by itself.
public struct FAQMatchResultBody: Codable, Sendable {
    public var matches: [FAQMatchItemBody]
    public var answer: FAQMatchItemBody?

    public init(matches: [FAQMatchItemBody], answer: FAQMatchItemBody?) {
        self.matches = matches
        self.answer = answer
    }

    private enum CodingKeys: String, CodingKey { case matches, answer }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(matches, forKey: .matches)
        try container.encode(answer, forKey: .answer)
    }
}

/// The body of `POST …/messages/{messageId}/feedback`.
public struct FeedbackBody: Codable, Sendable {
    public var helpful: Bool
    public init(helpful: Bool) { self.helpful = helpful }
}

/// The answer of `POST …/messages/{messageId}/feedback`.
public struct FeedbackResultBody: Codable, Sendable {
    public var messageId: String
    public var faqId: String
    public var helpful: Bool
    public init(messageId: String, faqId: String, helpful: Bool) {
        self.messageId = messageId
        self.faqId = faqId
        self.helpful = helpful
    }
}

/// The body of `PUT /api/assist/settings` (support and service name the seller) and the
/// answer of `GET|PUT /api/assist/settings`.
public struct AssistSettingsBody: Codable, Sendable {
    public var sellerId: String?
    public var autoAnswer: Bool?
    public init(sellerId: String? = nil, autoAnswer: Bool? = nil) {
        self.sellerId = sellerId
        self.autoAnswer = autoAnswer
    }
}
