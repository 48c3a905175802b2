import ParleyCore

/// A ready-to-send reply offered to a seller or agent.
public struct Suggestion: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case faq(faqID: String)
        case template(templateID: String)
        case history(messageID: String)
    }

    public var source: Source
    public var content: String
    /// In [0, 1].
    public var score: Double

    public init(source: Source, content: String, score: Double) {
        self.source = source
        self.content = content
        self.score = score
    }
}

/// The answer of `GET …/suggestions`: what the suggestions reply to, best first.
public struct Suggestions: Sendable, Equatable {
    /// The newest buyer message no seller or agent answered yet; `nil` when none waits.
    public var forMessageID: String?
    public var suggestions: [Suggestion]

    public init(forMessageID: String?, suggestions: [Suggestion]) {
        self.forMessageID = forMessageID
        self.suggestions = suggestions
    }
}

/// The answer of `POST /api/faq/match`.
public struct FAQMatchResult: Sendable, Equatable {
    public struct Match: Sendable, Equatable {
        public var entry: FAQEntry
        public var score: Double
    }

    public var matches: [Match]
    /// The match the assistant would answer with by itself.
    public var answer: Match?
}
