/// An FAQ entry a message matched, with how well, in [0, 1].
public struct FAQScoredMatch: Sendable, Equatable {
    public var faqId: String
    public var score: Double

    public init(faqId: String, score: Double) {
        self.faqId = faqId
        self.score = score
    }
}
