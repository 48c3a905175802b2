import ParleyCore

/// Reads a message's sentiment, language and whether it asks for a person: the lexicon
/// (its rules — negation, contrast, intensifiers, emoji, the marketplace's words — and its
/// learned word head) combined with the classifier head on the sentence encoder.
///
/// Without an embedder, or with one the head was not trained for, it reads with the
/// lexicon alone (rules and word head): the server runs either way.
public struct SentimentClassifier: Sendable {
    public let embedder: (any SentenceEmbedder)?
    public let head: SentimentHead
    /// Whether ``assess(_:)`` uses the head (an embedder the head accepts), not the lexicon alone.
    public let usesHead: Bool
    /// The lexicon it reads with, rules and word head.
    public let lexicon: LexiconSentimentScorer

    public init(embedder: (any SentenceEmbedder)?, head: SentimentHead = .trained, lexicon: LexiconSentimentScorer = LexiconSentimentScorer()) {
        self.embedder = embedder
        self.head = head
        self.lexicon = lexicon
        self.usesHead = embedder.map { head.accepts(embedder: $0) } ?? false
    }

    /// The message's reading; with `encoder: false`, the lexicon's alone even when the head
    /// could run (microseconds instead of milliseconds, for a review that is behind).
    public func assess(_ text: String, encoder: Bool = true) -> SentimentAssessment {
        let reading = lexicon.read(text)
        // The lexicon's words, read once: the detector ran on them.
        let asksForHuman = reading.asksForHuman
        var sentiment = reading.sentiment
        if encoder, usesHead, let embedder {
            let input = SentimentHead.input(vector: embedder.embed(text), lexiconFeatures: reading.features)
            sentiment = SentimentHead.keepingLexiconNegative(
                head.probabilities(input), lexicon: reading.sentiment, negativeThreshold: head.negativeThreshold)
        }
        return SentimentAssessment(sentiment: sentiment, language: reading.language, lexicon: reading.sentiment, asksForHuman: asksForHuman)
    }
}
