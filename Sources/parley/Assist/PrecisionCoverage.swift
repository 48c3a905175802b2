import ParleyAssist

/// Automatic answers counted over evaluation messages: precision = correct automatic
/// answers / automatic answers; coverage = correct automatic answers / answerable messages.
struct PrecisionCoverage {
    /// The precision a threshold is chosen for.
    static let targetPrecision = 0.95

    var answered = 0
    var correct = 0
    var answerable = 0

    /// 1 when nothing is answered: no automatic answer was wrong.
    var precision: Double { answered == 0 ? 1 : Double(correct) / Double(answered) }
    var coverage: Double { answerable == 0 ? 0 : Double(correct) / Double(answerable) }

    mutating func count(_ message: ScoredMessage, rule: FAQDecisionRule) {
        if message.answerable { answerable += 1 }
        guard message.isAnswered(by: rule) else { return }
        answered += 1
        if message.answerable && message.bestIsCorrect { correct += 1 }
    }

    static func at(_ rule: FAQDecisionRule, _ messages: some Sequence<ScoredMessage>) -> PrecisionCoverage {
        var result = PrecisionCoverage()
        for message in messages { result.count(message, rule: rule) }
        return result
    }

    /// `rule` with the threshold that answers the most messages correctly at
    /// `targetPrecision` or better (the highest such one, when several cover as much);
    /// when none reaches that precision, the one with the best precision. Thresholds
    /// tried: the messages' confidences, and one above them all.
    static func choosingThreshold(_ rule: FAQDecisionRule, _ messages: [ScoredMessage]) -> FAQDecisionRule {
        let confidences = messages.map { rule.confidence(score: $0.bestScore, margin: $0.margin) }
        let candidates = Set(confidences + [(confidences.max() ?? 1) + 0.001]).sorted(by: >)
        var best: (rule: FAQDecisionRule, result: PrecisionCoverage)?
        for threshold in candidates {
            var candidate = rule
            candidate.threshold = threshold
            let result = at(candidate, messages)
            if let current = best, !isBetter(result, than: current.result) { continue }
            best = (candidate, result)
        }
        return best?.rule ?? rule
    }

    private static func isBetter(_ a: PrecisionCoverage, than b: PrecisionCoverage) -> Bool {
        let aMeets = a.precision >= targetPrecision
        let bMeets = b.precision >= targetPrecision
        if aMeets != bMeets { return aMeets }
        if aMeets { return a.coverage > b.coverage }
        return a.precision > b.precision || (a.precision == b.precision && a.coverage > b.coverage)
    }

    /// Each message judged at the threshold chosen on all the others (margin rules fixed).
    static func leaveOneOut(_ rule: FAQDecisionRule, _ messages: [ScoredMessage]) -> PrecisionCoverage {
        var result = PrecisionCoverage()
        for index in messages.indices {
            var others = messages
            others.remove(at: index)
            result.count(messages[index], rule: choosingThreshold(rule, others))
        }
        return result
    }
}
