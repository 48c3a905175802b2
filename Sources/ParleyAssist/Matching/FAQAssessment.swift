/// A message matched against a FAQ, with what decided whether it is answered by itself.
public struct FAQAssessment: Sendable {
    /// Every entry, best first (as `FAQMatcher.rank` gives them).
    public var ranked: [FAQCandidate]
    /// What the confidence model saw of the best entry; nil without an encoder, without a
    /// confidence model, or without entries.
    public var features: FAQMatchFeatures?
    /// The model's probability that the best entry answers correctly, when it ran.
    public var probability: Double?
    /// Whether the best entry answers by itself.
    public var accepted: Bool

    public init(ranked: [FAQCandidate], features: FAQMatchFeatures?, probability: Double?, accepted: Bool) {
        self.ranked = ranked
        self.features = features
        self.probability = probability
        self.accepted = accepted
    }
}
