import ParleyCore

/// When a buyer's message hands the conversation to a person (the contract's
/// "Escalation"): a strongly negative message, a second negative message in a row, or a
/// request for a person. An unhelpful automatic answer escalates too, but from the buyer's
/// verdict, not from a message, so it is not decided here.
///
/// One pure rule, so the server and `parley assist eval-sentiment`'s escalation
/// conversations judge the same way.
public enum EscalationPolicy {
    /// A message at or below this score escalates on its own. Far enough below the
    /// negative label's edge that a single "llega tarde" does not, close enough that a
    /// "esto es una estafa" does.
    public static let stronglyNegativeScore = -0.6

    /// The reason `message` (from the buyer) escalates its conversation, or nil.
    ///
    /// - Parameters:
    ///   - sentiment: the message's sentiment.
    ///   - asksForHuman: whether the message asks for a person.
    ///   - previousBuyerSentiment: the sentiment of the buyer's message before this one in
    ///     the same conversation (other participants' messages in between do not break the
    ///     row), nil when there is none.
    public static func reason(
        sentiment: Sentiment, asksForHuman: Bool, previousBuyerSentiment: Sentiment?
    ) -> EscalationReason? {
        if asksForHuman { return .askedForHuman }
        if sentiment.label == .negative && sentiment.score <= stronglyNegativeScore { return .negativeSentiment }
        if sentiment.label == .negative && previousBuyerSentiment?.label == .negative { return .negativeSentiment }
        return nil
    }
}
