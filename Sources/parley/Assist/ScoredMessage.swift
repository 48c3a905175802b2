import ParleyAssist

/// One evaluation message as one way of scoring saw it: what a threshold sweep needs.
struct ScoredMessage {
    var answerable: Bool
    /// The best entry's score.
    var bestScore: Double
    /// How far the best entry leads the best one with a different answer.
    var margin: Double
    /// Whether the best entry is among the expected ones.
    var bestIsCorrect: Bool
    /// Whether an expected entry is among the 3 best.
    var topThreeHit: Bool
    /// Whether the matcher refuses to answer whatever the rule says: the message is
    /// closer to an out-of-scope intent than to its best entry (fused scores only).
    var outOfScope = false

    func isAnswered(by rule: FAQDecisionRule) -> Bool {
        !outOfScope && rule.accepts(score: bestScore, margin: margin)
    }
}
