/// When the best FAQ entry is good enough to answer a buyer by itself: its score, plus a
/// share of its lead over the best entry that gives a different answer, must reach the
/// threshold, and the lead must be at least the minimum margin. The lead counts because
/// the encoder rates every pair of questions somewhat alike: an entry that stands out
/// from the others is a surer answer than one that scores as high among close rivals.
public struct FAQDecisionRule: Sendable, Equatable, Codable {
    /// What `score + marginWeight × margin` must reach.
    public var threshold: Double
    /// The smallest lead over the runner-up answered; above zero, so that two entries
    /// giving different answers to the same question never answer.
    public var minimumMargin: Double
    /// How much the lead adds to the score.
    public var marginWeight: Double

    public init(threshold: Double, minimumMargin: Double, marginWeight: Double) {
        self.threshold = threshold
        self.minimumMargin = minimumMargin
        self.marginWeight = marginWeight
    }

    /// The number compared with the threshold.
    public func confidence(score: Double, margin: Double) -> Double {
        score + marginWeight * margin
    }

    public func accepts(score: Double, margin: Double) -> Bool {
        margin >= minimumMargin && confidence(score: score, margin: margin) >= threshold
    }
}
