/// The numbers that turn FAQ match scores into decisions: when a match is good enough to
/// answer a buyer by itself, and how the lexical and semantic scores mix. The committed
/// values (`tuned`) were chosen with `parley assist eval --split tune --tune` on
/// `Evaluation/assist/messages-tune.jsonl` only, never on the test split, for automatic
/// answers at least 95 % precise (docs/benchmarks.md has the numbers).
public struct FAQCalibration: Sendable, Equatable, Codable {
    /// When to answer without an encoder (scores are lexical).
    public var lexical: FAQDecisionRule
    /// When to answer with an encoder (scores are fused).
    public var fused: FAQDecisionRule
    /// The share of the semantic score in the fused one; the lexical score has the rest.
    public var semanticWeight: Double
    /// The same share for an entry written in the other language than the message: words
    /// meet there only through `BilingualGlossary`'s concepts, a thinner lexical signal.
    public var crossLanguageSemanticWeight: Double
    /// How much a match on an entry's answer counts next to one on its question or an
    /// alternative, in the semantic score: buyers ask questions, and an answer says more
    /// than what was asked.
    public var answerVectorWeight: Double
    /// When set, whether a fused match answers is this model's call (it sees what the
    /// scores alone do not: words the entry leaves unexplained, closeness to what no FAQ
    /// answers); `fused` is then only the fallback of a matcher without one.
    public var confidence: FAQConfidenceModel?
    /// Without a confidence model: a fused match never answers when the message is at
    /// least this close to an out-of-scope intent (`OutOfScopeIntents`) as to the best
    /// entry, minus this margin (`FAQMatchFeatures.outOfScopeLead > -margin`); nil: no
    /// such check. A seller's own entry on the subject stays closer than the intent.
    public var outOfScopeMargin: Double?

    public init(
        lexical: FAQDecisionRule, fused: FAQDecisionRule, semanticWeight: Double, crossLanguageSemanticWeight: Double = 1,
        answerVectorWeight: Double, confidence: FAQConfidenceModel? = nil, outOfScopeMargin: Double? = nil
    ) {
        self.outOfScopeMargin = outOfScopeMargin
        self.lexical = lexical
        self.fused = fused
        self.semanticWeight = semanticWeight
        self.crossLanguageSemanticWeight = crossLanguageSemanticWeight
        self.answerVectorWeight = answerVectorWeight
        self.confidence = confidence
    }

    /// Tuned on the tune split (see the type's documentation).
    public static let tuned = FAQCalibration(
        lexical: FAQDecisionRule(threshold: 0.796, minimumMargin: 0.1, marginWeight: 0.5),
        fused: FAQDecisionRule(threshold: 0.847, minimumMargin: 0.05, marginWeight: 1.5),
        semanticWeight: 0.4, crossLanguageSemanticWeight: 0.3, answerVectorWeight: 0.85, confidence: nil, outOfScopeMargin: 0.05)

    /// The rule of the mode a matcher runs in.
    public func decisionRule(semantic: Bool) -> FAQDecisionRule {
        semantic ? fused : lexical
    }
}
