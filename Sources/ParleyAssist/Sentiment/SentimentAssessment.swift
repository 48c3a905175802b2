import ParleyCore

/// How ``SentimentClassifier`` reads one message: what the server stores and what
/// ``EscalationPolicy`` decides on.
public struct SentimentAssessment: Sendable, Hashable {
    /// The message's sentiment: the combined reading when the classifier head ran, else the
    /// lexicon's.
    public var sentiment: Sentiment
    /// The language the message is written in, as the lexicon guessed it.
    public var language: AssistLanguage
    /// The lexicon's reading alone, kept for evaluation and for explaining a label.
    public var lexicon: Sentiment
    /// Whether the message asks for a person ("quiero hablar con una persona").
    public var asksForHuman: Bool

    public init(sentiment: Sentiment, language: AssistLanguage, lexicon: Sentiment, asksForHuman: Bool) {
        self.sentiment = sentiment
        self.language = language
        self.lexicon = lexicon
        self.asksForHuman = asksForHuman
    }
}
