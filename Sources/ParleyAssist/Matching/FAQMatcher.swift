import Foundation
import ParleyCore

/// Finds the FAQ entries that answer a buyer's message, and decides whether the best one
/// is good enough to answer by itself.
///
/// Each entry gets a lexical score (`LexicalScorer`: BM25 over its question, alternatives
/// and answer, with typo tolerance) and, with a sentence encoder, a semantic one (the best
/// cosine between the message's vector and the entry's question, alternative and answer
/// vectors); both in [0, 1], mixed by `FAQCalibration.semanticWeight`, or by
/// `crossLanguageSemanticWeight` for an entry written in the other language than the
/// message (`LanguageGuess`), whose words meet the message's only through the glossary's
/// concepts (`BilingualGlossary`). A message that asks
/// several things is also matched sentence by sentence, and each entry keeps its best
/// part. Whether the best entry answers automatically is `FAQDecisionRule`'s call, from its
/// score and its lead over the best entry that gives a different answer. Without an encoder
/// the matcher is lexical, with its own rule.
///
/// Copies share a cache of analysed entry texts; matching is safe from any thread.
public struct FAQMatcher: Sendable {
    public let embedder: (any SentenceEmbedder)?
    public var calibration: FAQCalibration
    private let cache = AnalysisCache()
    private let outOfScopeVectors = OutOfScopeVectors()

    public init(embedder: (any SentenceEmbedder)?, calibration: FAQCalibration? = nil) {
        self.embedder = embedder
        self.calibration = calibration ?? .tuned
    }

    /// Whether the matcher understands paraphrases and the other language through a
    /// sentence encoder, rather than words alone.
    public var isSemantic: Bool { embedder != nil }

    /// The vectors to store with an entry when it is saved: the question's, each
    /// alternative's and the answer's, in that order; empty without an encoder.
    public func vectors(question: String, alternatives: [String], answer: String) -> [[Float]] {
        guard let embedder else { return [] }
        return ([question] + alternatives + [answer]).map { embedder.embed($0) }
    }

    /// The best `limit` entries for `text` among `documents`, and the one to answer with
    /// automatically, if any.
    public func match(_ text: String, in documents: [FAQDocument], limit: Int = 3) -> FAQMatchOutcome {
        let assessment = assess(text, in: documents)
        let matches = assessment.ranked.prefix(max(0, limit)).map { FAQScoredMatch(faqId: $0.faqId, score: $0.score) }
        var answer: FAQScoredMatch?
        if assessment.accepted, let best = assessment.ranked.first {
            answer = FAQScoredMatch(faqId: best.faqId, score: best.score)
        }
        return FAQMatchOutcome(matches: Array(matches), answer: answer)
    }

    /// Every entry's scores for `text`, best first (by `score`, then by position).
    public func rank(_ text: String, in documents: [FAQDocument]) -> [FAQCandidate] {
        scored(text, in: documents).candidates
    }

    /// Every entry's scores for `text`, best first, what the confidence model knows about
    /// the best one, and whether it answers by itself.
    public func assess(_ text: String, in documents: [FAQDocument]) -> FAQAssessment {
        let scored = scored(text, in: documents)
        guard let lead = Self.lead(of: scored.candidates, in: documents, score: \.score) else {
            return FAQAssessment(ranked: scored.candidates, features: nil, probability: nil, accepted: false)
        }
        let best = lead.best
        let rule = calibration.decisionRule(semantic: isSemantic)
        guard let embedder else {
            return FAQAssessment(
                ranked: scored.candidates, features: nil, probability: nil, accepted: rule.accepts(score: best.score, margin: lead.margin))
        }
        let document = documents[best.index]
        let sameLanguage = !(scored.language != nil && document.language != nil && document.language != scored.language)
        let uncovered = sameLanguage ? scored.lexical.uncovered(scored.wholeWords, entry: best.index) : (known: 0.0, unknown: 0.0)
        var outOfScope = 0.0
        let intentVectors = outOfScopeVectors.vectors(embedder)
        for vector in scored.partVectors {
            for intent in intentVectors where intent.count == vector.count { outOfScope = max(outOfScope, Double(Self.dot(vector, intent))) }
        }
        let features = FAQMatchFeatures(
            score: best.score, lexical: best.lexical, semantic: best.semantic, margin: lead.margin, sameLanguage: sameLanguage ? 1 : 0,
            uncoveredKnown: uncovered.known, uncoveredUnknown: uncovered.unknown, outOfScope: outOfScope,
            outOfScopeLead: outOfScope - best.semantic,
            messageWords: min(FAQMatchFeatures.maximumWords, Double(scored.wholeWords.count)))
        guard let model = calibration.confidence else {
            let outOfScope = calibration.outOfScopeMargin.map { features.outOfScopeLead > -$0 } ?? false
            return FAQAssessment(
                ranked: scored.candidates, features: features, probability: nil,
                accepted: !outOfScope && rule.accepts(score: best.score, margin: lead.margin))
        }
        return FAQAssessment(
            ranked: scored.candidates, features: features, probability: model.probability(features), accepted: model.accepts(features))
    }

    /// What ranking a message leaves behind for the confidence model.
    private struct Scored {
        var candidates: [FAQCandidate]
        var lexical: LexicalScorer
        /// The whole message's words as the lexical index matched them.
        var wholeWords: [LexicalScorer.QueryWord]
        /// The vectors of the message's parts (the whole, or each sentence); empty without
        /// an encoder.
        var partVectors: [[Float]]
        var language: AssistLanguage?
    }

    private func scored(_ text: String, in documents: [FAQDocument]) -> Scored {
        let lexical = cache.lexicalScorer(for: documents)
        guard !documents.isEmpty else { return Scored(candidates: [], lexical: lexical, wholeWords: [], partVectors: [], language: nil) }
        let parts = MessageClauses.parts(of: text)
        let wordsByPart = parts.map { lexical.queryWords(AnalyzedText($0)) }
        let lexicalByPart = wordsByPart.map { lexical.scores($0) }
        // Each encoder pass costs milliseconds: a message split into sentences is
        // encoded sentence by sentence, and the whole counts as its best sentence.
        let partVectors = embedder.map { embedder in parts.dropFirst(parts.count > 1 ? 1 : 0).map { embedder.embed($0) } } ?? []
        let semanticByPart: [[Double]]? = embedder.map { _ in
            var scores = partVectors.map { vector in documents.map { semanticScore(vector, $0) } }
            if parts.count > 1 {
                scores.insert(documents.indices.map { index in scores.map { $0[index] }.max() ?? 0 }, at: 0)
            }
            return scores
        }
        let messageLanguage = isSemantic ? LanguageGuess.guess(text) : nil
        var candidates = documents.indices.map { index in
            // Across languages words meet only through the glossary's concepts: the
            // lexical score there is thinner evidence and has its own share.
            let otherLanguage = messageLanguage != nil && documents[index].language != nil && documents[index].language != messageLanguage
            let semanticWeight = isSemantic ? (otherLanguage ? calibration.crossLanguageSemanticWeight : calibration.semanticWeight) : 0
            var best = FAQCandidate(index: index, faqId: documents[index].faqId, lexical: 0, semantic: 0, score: 0)
            for part in parts.indices {
                let lexicalScore = lexicalByPart[part][index]
                let semanticScore = semanticByPart?[part][index] ?? 0
                best.lexical = max(best.lexical, lexicalScore)
                best.semantic = max(best.semantic, semanticScore)
                best.score = max(best.score, (1 - semanticWeight) * lexicalScore + semanticWeight * semanticScore)
            }
            return best
        }
        candidates.sort { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        return Scored(candidates: candidates, lexical: lexical, wholeWords: wordsByPart[0], partVectors: partVectors, language: messageLanguage)
    }

    /// The best candidate by `score`, and how far it leads the best one that gives a
    /// different answer (entries with the same answer text do not compete); the margin is
    /// the best score itself when every other entry gives the same answer.
    public static func lead(
        of candidates: [FAQCandidate], in documents: [FAQDocument], score: (FAQCandidate) -> Double
    ) -> (best: FAQCandidate, margin: Double)? {
        guard let best = candidates.max(by: { score($0) < score($1) || (score($0) == score($1) && $0.index > $1.index) })
        else { return nil }
        let bestAnswer = comparableAnswer(documents[best.index].answer)
        var runnerUp = 0.0
        for candidate in candidates where candidate.index != best.index {
            guard comparableAnswer(documents[candidate.index].answer) != bestAnswer else { continue }
            runnerUp = max(runnerUp, score(candidate))
        }
        return (best, score(best) - runnerUp)
    }

    /// The answer as compared for "the same answer": entries saved with the same text,
    /// give or take surrounding white space (folding every answer on every match would
    /// cost more than the match).
    private static func comparableAnswer(_ answer: String) -> String {
        answer.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The entry's best cosine with `vector`: its question and alternatives count fully,
    /// its answer by `answerVectorWeight`; vectors of another size are ignored.
    private func semanticScore(_ vector: [Float], _ document: FAQDocument) -> Double {
        let questionCount = 1 + document.alternatives.count
        var best: Float = 0
        for (position, entryVector) in document.vectors.enumerated() where entryVector.count == vector.count {
            let weight: Float = position < questionCount ? 1 : Float(calibration.answerVectorWeight)
            best = max(best, weight * Self.dot(vector, entryVector))
        }
        return Double(min(1, best))
    }

    private static func dot(_ a: [Float], _ b: [Float]) -> Float {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var sum: Float = 0
                for index in 0..<min(a.count, b.count) { sum += a[index] * b[index] }
                return sum
            }
        }
    }
}
