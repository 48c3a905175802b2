/// An automatic answer found, at the moment of its write, that the conversation had been
/// escalated or had another message since the buyer's question: it is not posted.
public struct AutomaticAnswerOvertaken: Error, Sendable {
    public init() {}
}
