import ParleyCore

/// What ``LexiconSentimentScorer`` reads in one message: a score and label from the
/// lexicon's rules alone, the language it guessed, and the features the classifier head on
/// the sentence encoder combines with the encoder's vector.
public struct LexiconReading: Sendable, Hashable {
    /// From -1 (as negative as it gets) to 1 (as positive); 0 when the message carries no
    /// judgement the lexicon knows.
    public var score: Double
    /// The language the message is written in, as guessed from its words; Spanish when
    /// nothing tells (the marketplace's first language).
    public var language: AssistLanguage
    /// Exactly ``LexiconSentimentScorer/featureCount`` values in the order of
    /// ``LexiconFeature``, each in -1…1 or 0…1.
    public var features: [Float]
    /// The lexicon's reading: the label the rules and the word head give together, with the
    /// rules' score when they agree and a mild one when only the word head reads the label
    /// (``SentimentHead/keepingLexiconNegative(_:lexicon:negativeThreshold:)``).
    public var sentiment: Sentiment
    /// The rules' reading alone: the label the score falls under
    /// (``LexiconSentimentScorer/negativeThreshold``, ``LexiconSentimentScorer/positiveThreshold``)
    /// with the score. What the encoder's head combines with, as it was trained.
    public var rules: Sentiment
    /// Whether the message asks for a person (``HumanRequestDetector`` on the same words).
    public var asksForHuman: Bool

    public init(
        score: Double, language: AssistLanguage, features: [Float], sentiment: Sentiment, rules: Sentiment? = nil,
        asksForHuman: Bool = false
    ) {
        self.score = score
        self.language = language
        self.features = features
        self.sentiment = sentiment
        self.rules = rules ?? sentiment
        self.asksForHuman = asksForHuman
    }
}
