import ParleyCore

/// Reads a message's sentiment, language and whether it asks for a person: the lexicon
/// (negation, contrast, intensifiers, emoji, the marketplace's words) combined with the
/// classifier head on the sentence encoder.
///
/// Without an embedder, or with one the head was not trained for, it reads with the
/// lexicon alone: the server runs either way.
public struct SentimentClassifier: Sendable {
    public let embedder: (any SentenceEmbedder)?
    public let head: SentimentHead
    /// Whether ``assess(_:)`` uses the head (an embedder the head accepts), not the lexicon alone.
    public let usesHead: Bool
    private let lexicon = LexiconSentimentScorer()

    public init(embedder: (any SentenceEmbedder)?, head: SentimentHead = .trained) {
        self.embedder = embedder
        self.head = head
        self.usesHead = embedder.map { head.accepts(embedder: $0) } ?? false
    }

    public func assess(_ text: String) -> SentimentAssessment {
        let reading = lexicon.read(text)
        // The lexicon's words, read once: the detector ran on them.
        let asksForHuman = reading.asksForHuman
        var sentiment = reading.sentiment
        if usesHead, let embedder {
            let input = SentimentHead.input(vector: embedder.embed(text), lexiconFeatures: reading.features)
            sentiment = SentimentHead.combined(head.probabilities(input), lexicon: reading.sentiment, negativeThreshold: head.negativeThreshold)
        }
        return SentimentAssessment(sentiment: sentiment, language: reading.language, lexicon: reading.sentiment, asksForHuman: asksForHuman)
    }
}
