/// The body of `POST /api/assist/sentiment`.
public struct SentimentRequestBody: Codable, Sendable {
    public var text: String?

    public init(text: String?) {
        self.text = text
    }
}

/// The answer of `POST /api/assist/sentiment`: how the text reads, and in which language.
public struct SentimentBody: Codable, Sendable, Equatable {
    public var label: SentimentLabel
    public var score: Double
    /// `es` or `en`.
    public var language: String

    public init(label: SentimentLabel, score: Double, language: String) {
        self.label = label
        self.score = score
        self.language = language
    }
}
