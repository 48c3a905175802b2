/// What matching one message against a FAQ gives: the best entries, and the one to answer
/// with automatically, if the matcher is confident enough.
public struct FAQMatchOutcome: Sendable, Equatable {
    /// At most the requested number of entries, best first, each with a score in [0, 1].
    public var matches: [FAQScoredMatch]
    /// The entry to answer with by itself (always `matches.first`), or nil when the best
    /// score is below the calibrated threshold or too close to a runner-up that gives a
    /// different answer.
    public var answer: FAQScoredMatch?

    public init(matches: [FAQScoredMatch], answer: FAQScoredMatch?) {
        self.matches = matches
        self.answer = answer
    }
}
