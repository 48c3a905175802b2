import Foundation

/// BM25 over FAQ entries, normalised so that a score means the same whatever the FAQ:
/// the share of the message's words (weighted by how rare they are among the entries)
/// that an entry contains, mixed with the share of the entry's best question that the
/// message covers.
///
/// For each content word of the message, BM25F counts its forms (the word and its Spanish
/// and English stems) in the entry's question and alternatives and, with a lower weight,
/// in its answer; the BM25 saturation of that count, which is 1 for one occurrence in a
/// text of average length, is capped at 1, so a word is worth at most its inverse document
/// frequency. Dividing by the sum of those frequencies over the message's words gives the
/// message's own maximum attainable score as the unit. A word no entry contains is
/// looked up among the entries' words at edit distance 1 (4–7 letters) or 2 (8 or more),
/// and counts for less when found that way.
struct LexicalScorer {
    /// BM25's term-frequency saturation.
    static let k1 = 1.2
    /// BM25's length normalisation, for questions and answers alike.
    static let lengthNormalisation = 0.5
    /// What a word found only in an answer counts, against 1 in a question.
    static let answerFieldWeight = 0.35
    /// The share of the entry-side coverage (how much of the entry's best question the
    /// message covers) in the score; the message-side coverage has the rest.
    static let entryCoverageWeight = 0.3
    /// What a message word no entry contains weighs, against a word only one entry
    /// contains: it cannot tell entries apart, but it says the message asks something more.
    static let unknownWordWeight = 0.5
    /// What a word matched through a typo counts, by number of edits.
    static let typoCredit: [Double] = [1, 0.8, 0.6]

    /// The largest number of edits a word of this many letters may carry and still match.
    static func allowedEdits(length: Int) -> Int {
        switch length {
        case ..<4: 0
        case 4..<8: 1
        default: 2
        }
    }

    struct Entry {
        var questions: [AnalyzedText]
        var answer: AnalyzedText
    }

    /// A content word of the message, as it is matched.
    struct QueryWord {
        /// The forms looked up in entries: the word's own, or those of the entry words it
        /// is a typo of; empty when nothing matches.
        var forms: [String]
        /// 1, or less for a typo.
        var credit: Double
        /// The word's inverse document frequency.
        var weight: Double
    }

    /// A word of an entry, with its forms and weight, for the entry-side coverage.
    private struct EntryWord {
        var forms: [String]
        var weight: Double
    }

    /// A word of the entries, for typo matching.
    private struct VocabularyWord {
        var scalars: [Unicode.Scalar]
        var forms: [String]
    }

    let entries: [Entry]
    private let documentFrequency: [String: Int]
    private let averageQuestionLength: Double
    private let averageAnswerLength: Double
    /// Per entry, per question text, its distinct words with their weights.
    private let questionWords: [[[EntryWord]]]
    /// Every distinct word of the entries.
    private let vocabulary: [VocabularyWord]

    init(entries: [Entry]) {
        self.entries = entries
        var frequency: [String: Int] = [:]
        var questionLengths = 0.0
        var answerLengths = 0.0
        for entry in entries {
            var terms = Set(entry.answer.termCounts.keys)
            for question in entry.questions { terms.formUnion(question.termCounts.keys) }
            for term in terms { frequency[term, default: 0] += 1 }
            questionLengths += Self.meanLength(entry.questions)
            answerLengths += Double(entry.answer.words.count)
        }
        documentFrequency = frequency
        averageQuestionLength = max(1, questionLengths / Double(max(1, entries.count)))
        averageAnswerLength = max(1, answerLengths / Double(max(1, entries.count)))
        let entryCount = entries.count
        func weight(_ forms: [String]) -> Double {
            Self.inverseDocumentFrequency(count: forms.map { frequency[$0] ?? 0 }.max() ?? 0, entries: entryCount)
        }
        questionWords = entries.map { entry in
            entry.questions.map { question in question.distinctWords.map { EntryWord(forms: $0.forms, weight: weight($0.forms)) } }
        }
        var seen = Set<String>()
        var words: [VocabularyWord] = []
        for entry in entries {
            for text in entry.questions + [entry.answer] {
                for (word, forms) in text.distinctWords where seen.insert(word).inserted {
                    words.append(VocabularyWord(scalars: Array(word.unicodeScalars), forms: forms))
                }
            }
        }
        vocabulary = words
    }

    /// The score of every entry for `query`, in entry order, each in [0, 1].
    func scores(_ query: AnalyzedText) -> [Double] {
        scores(queryWords(query))
    }

    /// The score of every entry for a message's words (`queryWords`), in entry order.
    func scores(_ words: [QueryWord]) -> [Double] {
        let totalWeight = words.reduce(0) { $0 + $1.weight }
        guard totalWeight > 0, !entries.isEmpty else { return Array(repeating: 0, count: entries.count) }
        var matchedCredit: [String: Double] = [:]
        for word in words {
            for form in word.forms { matchedCredit[form] = max(matchedCredit[form] ?? 0, word.credit) }
        }
        return entries.enumerated().map { index, entry in
            let questionNorm = normalisation(length: Self.meanLength(entry.questions), average: averageQuestionLength)
            let answerNorm = normalisation(length: Double(entry.answer.words.count), average: averageAnswerLength)
            var covered = 0.0
            for word in words where !word.forms.isEmpty {
                var questionCount = 0
                for question in entry.questions { questionCount += question.count(ofAnyOf: word.forms) }
                let answerCount = entry.answer.count(ofAnyOf: word.forms)
                guard questionCount + answerCount > 0 else { continue }
                let frequency = Double(questionCount) / questionNorm + Self.answerFieldWeight * Double(answerCount) / answerNorm
                let saturation = frequency * (Self.k1 + 1) / (frequency + Self.k1)
                covered += word.weight * word.credit * min(1, saturation)
            }
            let messageCoverage = covered / totalWeight
            let entryCoverage = questionWords[index].map { coverage(of: $0, by: matchedCredit) }.max() ?? 0
            return (1 - Self.entryCoverageWeight) * messageCoverage + Self.entryCoverageWeight * entryCoverage
        }
    }

    /// The share of a question's words (weighted by rarity) that the message matched.
    private func coverage(of question: [EntryWord], by matchedCredit: [String: Double]) -> Double {
        var total = 0.0
        var matched = 0.0
        for word in question {
            total += word.weight
            var credit = 0.0
            for form in word.forms { credit = max(credit, matchedCredit[form] ?? 0) }
            matched += word.weight * credit
        }
        return total > 0 ? matched / total : 0
    }

    /// What of the message entry `index` leaves unexplained: the message's words that
    /// other entries contain but this one does not, each by its inverse document frequency
    /// over that of a word only one entry has (so a rare word counts about 1, a common one
    /// less); and how many words no entry contains at all.
    func uncovered(_ words: [QueryWord], entry index: Int) -> (known: Double, unknown: Double) {
        guard entries.indices.contains(index) else { return (0, 0) }
        let entry = entries[index]
        let rarest = max(1e-9, inverseDocumentFrequency(count: 1))
        var known = 0.0
        var unknown = 0.0
        for word in words {
            guard !word.forms.isEmpty else {
                unknown += 1
                continue
            }
            let contained = entry.answer.count(ofAnyOf: word.forms) > 0 || entry.questions.contains { $0.count(ofAnyOf: word.forms) > 0 }
            if !contained { known += min(1, word.weight / rarest) }
        }
        return (known, unknown)
    }

    /// Unknown words of one message corrected against the vocabulary at most (see
    /// `queryWords`); a buyer's typos are a few words, not dozens.
    static let maxCorrectedWords = 8

    func queryWords(_ query: AnalyzedText) -> [QueryWord] {
        // Each unknown word is compared with the whole vocabulary, which the seller's
        // entries make (up to ~1M words): a message corrects at most this many.
        var corrections = 0
        return query.distinctWords.map { word, forms in
            if forms.contains(where: { documentFrequency[$0] != nil }) {
                return QueryWord(forms: forms, credit: 1, weight: inverseDocumentFrequency(forms))
            }
            let scalars = Array(word.unicodeScalars)
            let allowed = Self.allowedEdits(length: scalars.count)
            if allowed > 0, corrections < Self.maxCorrectedWords {
                corrections += 1
                var best = allowed + 1
                var correctedForms: [String] = []
                for candidate in vocabulary where abs(candidate.scalars.count - scalars.count) <= allowed {
                    guard let distance = EditDistance.distance(scalars, candidate.scalars, bound: min(allowed, best)) else { continue }
                    if distance < best {
                        best = distance
                        correctedForms = []
                    }
                    correctedForms.append(contentsOf: candidate.forms.filter { !correctedForms.contains($0) })
                }
                if best <= allowed {
                    return QueryWord(forms: correctedForms, credit: Self.typoCredit[best], weight: inverseDocumentFrequency(correctedForms))
                }
            }
            return QueryWord(forms: [], credit: 0, weight: Self.unknownWordWeight * inverseDocumentFrequency(count: 1))
        }
    }

    /// The inverse document frequency of a word, from its most common form among the
    /// entries (the stem, usually), so that a word and its inflections weigh the same.
    private func inverseDocumentFrequency(_ forms: [String]) -> Double {
        inverseDocumentFrequency(count: forms.map { documentFrequency[$0] ?? 0 }.max() ?? 0)
    }

    private func inverseDocumentFrequency(count: Int) -> Double {
        Self.inverseDocumentFrequency(count: count, entries: entries.count)
    }

    private static func inverseDocumentFrequency(count: Int, entries: Int) -> Double {
        let total = Double(entries)
        let frequency = Double(count)
        return log(1 + (total - frequency + 0.5) / (frequency + 0.5))
    }

    private func normalisation(length: Double, average: Double) -> Double {
        1 - Self.lengthNormalisation + Self.lengthNormalisation * length / average
    }

    private static func meanLength(_ texts: [AnalyzedText]) -> Double {
        texts.isEmpty ? 0 : Double(texts.reduce(0) { $0 + $1.words.count }) / Double(texts.count)
    }
}
