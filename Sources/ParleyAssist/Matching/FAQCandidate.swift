/// How one FAQ entry scored against a message, component by component: what the matcher
/// ranks by, and what an evaluation sweeps thresholds over.
public struct FAQCandidate: Sendable, Equatable {
    /// The position of the entry in the documents given to the matcher.
    public var index: Int
    public var faqId: String
    /// BM25 over the entry's texts, as the share of the query it covers, in [0, 1].
    public var lexical: Double
    /// The best cosine between a part of the message and the entry's vectors, in [0, 1];
    /// zero without an encoder.
    public var semantic: Double
    /// The score the entry is ranked by: lexical alone without an encoder, else the
    /// calibrated mix of both.
    public var score: Double

    public init(index: Int, faqId: String, lexical: Double, semantic: Double, score: Double) {
        self.index = index
        self.faqId = faqId
        self.lexical = lexical
        self.semantic = semantic
        self.score = score
    }
}
