/// One run of ``LexiconSentimentScorer``'s rules over one message's tokens: collects the
/// message's judgements with their weights, then sums them into a score and features.
struct ScoringPass {
    typealias Scorer = LexiconSentimentScorer

    /// One judgement found in the message.
    struct Judgement {
        var valence: Double
        /// The valence the lexicon gives, before negation, intensity and weights.
        var base: Double
        var sentence: Int
        /// How many contrasts came before it.
        var epoch: Int
        var isConceded = false
        var isConditional = false
        /// In a sentence where the writer apologises.
        var isApology = false
        /// In a sentence that asks the other party to account for something ("why…?").
        var isChallenge = false
        var isNegated = false
        var isSymbol = false
        var inQuestion = false
        /// Praise said first in its sentence, which a following complaint makes ironic.
        var isIronyCandidate = false
        /// In a question that asks about the item ("any scratches?", "¿tiene marcas de uso?").
        var isInquiry = false
        /// Index of the word (counting words only) it was found at.
        var wordIndex: Int
        var clause: Int
    }

    let tokens: [SentimentToken]
    private(set) var judgements: [Judgement] = []
    private(set) var spanishHits = 0
    private(set) var englishHits = 0

    // Counts for the features.
    private var negations = 0
    private var contrasts = 0
    private var intensified = 0
    private var exclamations = 0
    private var questions = 0
    private var shoutedWords = 0
    private var words = 0
    private var ironic = false
    private var polite = false
    private var elongated = false
    private var complaintTopics = 0
    /// How many contrasts the message has: judgements from an earlier part count less.
    private var finalEpoch = 0

    /// The lexicon's answers for this message's words: a word is looked up again when
    /// intensifiers look ahead, and a miss (most words) tries every stem length.
    private var knownTerms: [String: (term: SentimentTerm, superlative: Bool)?] = [:]

    init(tokens: [SentimentToken]) {
        self.tokens = tokens
    }

    private mutating func term(_ word: String) -> (term: SentimentTerm, superlative: Bool)? {
        if let known = knownTerms[word] { return known }
        let found = SentimentLexicon.term(word)
        knownTerms[word] = .some(found)
        return found
    }

    // MARK: - Reading the tokens

    mutating func run() {
        var sentence = 0
        var clause = 0
        var sentenceStart = 0  // index into judgements
        var wordInSentence = 0
        var epoch = 0
        var negationLeft = 0
        var comparativeInScope = false
        var pendingMultiplier = 1.0
        var pendingLeft = 0
        var concessionOpen = false
        var conditionalOpen = false
        var sawWaiting = false
        var waitingAdded = false
        var previousWasAnother = false
        var timeUnitSentence: Int?
        var sentenceExclamations = 0
        var apologyOpen = false
        var challengeInSentence = false
        var arrivalInClause = false
        // "otra semana" complains only about waiting ("otra semana esperando"), not when
        // it plans ("si no te viene bien, otro día").
        var anotherPeriods: [Int] = []
        // "no funciona bien": the manner word after a negated fact is part of it.
        var afterNegatedEvent = false
        // "encargué la 40 y me mandaste la 38": what was expected and what came, in one sentence.
        var expectationInSentence = false
        var reportInSentence = false
        var mismatchAdded = false
        // "pensaba que sería más grande": a belief waiting for its comparison.
        var beliefOpen = false
        // "solo carga si…": words after "solo"/"only" it still reaches.
        var restrictiveLeft = 0
        var inquiryInSentence = false
        // "¿por qué me cobráis el envío?": a question that opens by asking the other party
        // to account for something about the order complains, even with no complaint word.
        var challengeOpensSentence = false
        var complaintTopicInSentence = false

        func closeClause() {
            negationLeft = 0
            comparativeInScope = false
            pendingLeft = 0
            pendingMultiplier = 1
            if concessionOpen {
                // The conceded clause is over; what follows is the main one.
                concessionOpen = false
            }
            conditionalOpen = false
            previousWasAnother = false
            arrivalInClause = false
            restrictiveLeft = 0
            clause += 1
        }

        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            switch token.kind {
            case .clauseBreak:
                closeClause()
                index += 1
                continue
            case .sentenceEnd(let mark):
                closeClause()
                switch mark {
                case .question:
                    questions += 1
                    if challengeOpensSentence && complaintTopicInSentence
                        && !judgements[sentenceStart...].contains(where: { $0.valence <= Scorer.openComplaintValence })
                    {
                        addJudgement(
                            Scorer.challengeValence, sentence: sentence, epoch: epoch, clause: clause,
                            concession: false, conditional: false)
                    }
                    for judgementIndex in sentenceStart..<judgements.count {
                        judgements[judgementIndex].inQuestion = true
                        judgements[judgementIndex].isChallenge = challengeInSentence
                        judgements[judgementIndex].isInquiry = inquiryInSentence && !challengeInSentence
                    }
                case .exclamation:
                    exclamations += 1
                    sentenceExclamations += 1
                case .plain, .opening:
                    break
                }
                // A run of marks ("!!!", "?!") ends one sentence.
                let nextIsEnd: Bool = {
                    guard index + 1 < tokens.count, case .sentenceEnd = tokens[index + 1].kind else { return false }
                    return true
                }()
                if !nextIsEnd {
                    let boost = 1 + Scorer.exclamationStep * Double(min(sentenceExclamations, Scorer.maxExclamations))
                    for judgementIndex in sentenceStart..<judgements.count { judgements[judgementIndex].valence *= boost }
                    if sentenceExclamations > 0 && sentenceStart < judgements.count { intensified += 1 }
                    sentenceExclamations = 0
                    apologyOpen = false
                    challengeInSentence = false
                    inquiryInSentence = false
                    challengeOpensSentence = false
                    complaintTopicInSentence = false
                    expectationInSentence = false
                    reportInSentence = false
                    mismatchAdded = false
                    beliefOpen = false
                    sentence += 1
                    sentenceStart = judgements.count
                    wordInSentence = 0
                }
                index += 1
                continue
            case .symbol(let valence):
                judgements.append(
                    Judgement(
                        valence: valence, base: valence, sentence: sentence, epoch: epoch, isSymbol: true, wordIndex: words,
                        clause: clause))
                index += 1
                continue
            case .word:
                break
            }

            // A word: the longest phrase starting here, else the word itself.
            let following = wordsFollowing(index)
            let match: (term: SentimentTerm, length: Int, superlative: Bool)?
            if let phrase = SentimentLexicon.phrase(startingAt: following[...]) {
                match = (phrase.term, phrase.length, false)
            } else if let found = term(following[0]) {
                match = (found.term, 1, found.superlative)
            } else if let alternative = token.alternative, let found = term(alternative) {
                match = (found.term, 1, found.superlative)
            } else {
                match = nil
            }
            let length = match?.length ?? 1
            let spanned = tokens[index..<index + length]
            words += length
            if token.isShouted { shoutedWords += length }
            if spanned.contains(where: \.isElongated) { elongated = true }
            defer {
                index += length
                wordInSentence += length
            }
            guard let match else {
                if negationLeft > 0 { negationLeft -= 1 }
                if pendingLeft > 0 { pendingLeft -= 1 }
                if restrictiveLeft > 0 { restrictiveLeft -= 1 }
                previousWasAnother = false
                continue
            }
            let term = match.term
            let superlative = match.superlative
            switch term.language {
            case .es: spanishHits += 1
            case .en: englishHits += 1
            case nil: break
            }
            let roles = term.roles
            if roles.contains(.politeness) { polite = true }
            if roles.contains(.complaint) { complaintTopics += 1 }
            if roles.contains(.waiting) { sawWaiting = true }
            if roles.contains(.apology) { apologyOpen = true }
            if roles.contains(.challenge) {
                challengeInSentence = true
                if wordInSentence <= 1 { challengeOpensSentence = true }
            }
            if roles.contains(.complaint) { complaintTopicInSentence = true }
            if roles.contains(.inquiry) { inquiryInSentence = true }
            // "buenísimo, gracias" praises; "bueno, …" only opens.
            if roles.contains(.discourseMarker) && !superlative && wordInSentence == 0 && isFollowedByBreak(index + length - 1) {
                continue
            }

            // What was expected beside what came: they differ.
            if roles.contains(.expectation) { expectationInSentence = true }
            if roles.contains(.report) { reportInSentence = true }
            if expectationInSentence && reportInSentence && !mismatchAdded {
                mismatchAdded = true
                addJudgement(
                    Scorer.mismatchValence, sentence: sentence, epoch: epoch, clause: clause, concession: concessionOpen,
                    conditional: conditionalOpen)
            }
            // A belief followed by a comparison is a let-down; a negated one is not
            // ("no esperaba que fuera tan bonito").
            if beliefOpen && roles.contains(.comparison) {
                beliefOpen = false
                addJudgement(
                    Scorer.letdownValence, sentence: sentence, epoch: epoch, clause: clause, concession: concessionOpen,
                    conditional: conditionalOpen)
                continue
            }
            if roles.contains(.belief) && negationLeft == 0 { beliefOpen = true }
            // "solo" / "only" before a working or arriving verb: less than should.
            if roles.contains(.restrictive) {
                restrictiveLeft = Scorer.restrictiveReach
                continue
            }
            if restrictiveLeft > 0 {
                if (roles.contains(.functioning) || roles.contains(.arrival)) && negationLeft == 0 {
                    restrictiveLeft = 0
                    addJudgement(
                        Scorer.restrictedValence, sentence: sentence, epoch: epoch, clause: clause, concession: concessionOpen,
                        conditional: conditionalOpen)
                } else if !roles.contains(.scopeTransparent) {
                    restrictiveLeft -= 1
                }
            }

            // Contrast: everything before counts less; an opening concessive instead
            // concedes its own clause.
            if roles.contains(.contrast) {
                contrasts += 1
                if roles.contains(.concessive) && wordInSentence == 0 {
                    concessionOpen = true
                } else if roles.contains(.concessive) && isLastWordOfSentence(index + length - 1) {
                    // "nice, runs small though": the clause it closes is the one that counts.
                    let clauseStart = judgements.lastIndex(where: { $0.clause != clause }).map { $0 + 1 } ?? 0
                    epoch += 1
                    for judgementIndex in clauseStart..<judgements.count { judgements[judgementIndex].epoch = epoch }
                } else {
                    epoch += 1
                }
                negationLeft = 0
                apologyOpen = false
                beliefOpen = false
                continue
            }
            // "si" opens a condition only at the start of its sentence (elsewhere it is often
            // "sí": "eso sí", "claro que sí"); "if", "in case" open one anywhere.
            if roles.contains(.conditional) && (wordInSentence <= 1 || following[0] != "si")
                && !isFollowedByBreak(index + length - 1)
            {
                conditionalOpen = true
                continue
            }

            // Time: "llevo dos semanas", "another week".
            if roles.contains(.timeUnit) {
                if previousWasAnother {
                    anotherPeriods.append(judgements.count)
                    addJudgement(
                        Scorer.anotherPeriodValence, sentence: sentence, epoch: epoch, clause: clause,
                        concession: concessionOpen, conditional: conditionalOpen)
                } else if timeUnitSentence == nil {
                    timeUnitSentence = sentence
                }
            }
            if sawWaiting, !waitingAdded, timeUnitSentence != nil {
                waitingAdded = true
                addJudgement(
                    Scorer.waitingValence, sentence: sentence, epoch: epoch, clause: clause, concession: concessionOpen,
                    conditional: conditionalOpen)
            }
            previousWasAnother = roles.contains(.another)

            if roles.contains(.comparative) && negationLeft > 0 { comparativeInScope = true }

            // "ha llegado sin el cargador", "came without the manual": something is missing.
            if roles.contains(.absence) && arrivalInClause {
                arrivalInClause = false
                addJudgement(
                    Scorer.negatedEventValence, sentence: sentence, epoch: epoch, clause: clause,
                    concession: concessionOpen, conditional: conditionalOpen)
                continue
            }
            if roles.contains(.arrival) && negationLeft == 0 { arrivalInClause = true }

            // Negators: "nada" after a negation intensifies it ("no me gusta nada").
            if roles.contains(.negator) && roles.contains(.intensifier), let last = judgements.indices.last,
                judgements[last].clause == clause, judgements[last].isNegated
            {
                judgements[last].valence *= term.multiplier
                intensified += 1
                continue
            }
            if roles.contains(.negator) && !(roles.contains(.intensifier) && negationLeft > 0) && term.valence == 0 {
                negationLeft = Scorer.negationScope
                continue
            }

            // Intensifiers: forward when a judgement follows, else back onto the last one.
            if roles.contains(.intensifier) {
                if judgementFollows(after: index + length - 1) || term.valence == 0 {
                    if judgementFollows(after: index + length - 1) {
                        pendingMultiplier *= term.multiplier
                        pendingLeft = Scorer.intensifierReach
                    } else if let last = judgements.indices.last, judgements[last].clause == clause, !judgements[last].isSymbol {
                        judgements[last].valence *= term.multiplier
                        if term.multiplier > 1 { intensified += 1 }
                    }
                    if negationLeft > 0 && !roles.contains(.scopeTransparent) && !roles.contains(.negator) { negationLeft -= 1 }
                    continue
                }
            }

            var valence = term.valence
            let isEvent = roles.contains(.event)
            if afterNegatedEvent && valence > 0 && !isEvent {
                afterNegatedEvent = false
                continue
            }
            afterNegatedEvent = false
            guard valence != 0 || (isEvent && negationLeft > 0) else {
                if negationLeft > 0 && !roles.contains(.scopeTransparent) { negationLeft -= 1 }
                if pendingLeft > 0 { pendingLeft -= 1 }
                continue
            }
            var negated = false
            if negationLeft > 0 {
                // A negation turns one judgement around, not the rest of its clause
                // ("no tengo el dinero, pongo una denuncia").
                negationLeft = 0
                negated = true
                negations += 1
                if valence == 0 || (isEvent && valence > 0) {
                    // "not original", "no llega": a neutral fact that did not happen.
                    valence = Scorer.negatedEventValence
                    afterNegatedEvent = true
                } else if valence > 0 {
                    if !comparativeInScope { valence *= Scorer.negatedPraiseFactor } else { negated = false }
                } else {
                    valence *= Scorer.negatedComplaintFactor
                }
            }
            if pendingLeft > 0 {
                valence *= pendingMultiplier
                if pendingMultiplier > 1 { intensified += 1 }
                pendingMultiplier = 1
                pendingLeft = 0
            }
            if superlative {
                valence *= 1.3
                intensified += 1
            }
            if token.isShouted {
                valence *= Scorer.shoutFactor
                intensified += 1
            }
            if token.isElongated { valence *= Scorer.elongationFactor }

            var judgement = Judgement(
                valence: valence, base: term.valence, sentence: sentence, epoch: epoch, isConceded: concessionOpen,
                isConditional: conditionalOpen, isApology: apologyOpen, isNegated: negated, wordIndex: words, clause: clause)
            if roles.contains(.sarcasmProne), !negated, valence > 0, wordInSentence < Scorer.ironyPosition {
                judgement.isIronyCandidate = true
            }
            judgements.append(judgement)
        }
        if !sawWaiting {
            for index in anotherPeriods { judgements[index].valence = 0 }
        }
        finalEpoch = epoch
    }

    private mutating func addJudgement(
        _ valence: Double, sentence: Int, epoch: Int, clause: Int, concession: Bool, conditional: Bool
    ) {
        judgements.append(
            Judgement(
                valence: valence, base: valence, sentence: sentence, epoch: epoch, isConceded: concession,
                isConditional: conditional, wordIndex: words, clause: clause))
    }

    /// The words from token `index` on, up to the end of its clause (at most the longest
    /// phrase's length).
    private func wordsFollowing(_ index: Int) -> [String] {
        var result: [String] = []
        var position = index
        while position < tokens.count, result.count < 6, case .word(let word) = tokens[position].kind {
            result.append(word)
            position += 1
        }
        return result
    }

    private func isFollowedByBreak(_ index: Int) -> Bool {
        guard index + 1 < tokens.count else { return true }
        switch tokens[index + 1].kind {
        case .word: return false
        default: return true
        }
    }

    private func isLastWordOfSentence(_ index: Int) -> Bool {
        guard index + 1 < tokens.count else { return true }
        if case .sentenceEnd = tokens[index + 1].kind { return true }
        return false
    }

    /// Whether one of the next `intensifierReach` words of the clause is a judgement.
    private mutating func judgementFollows(after index: Int) -> Bool {
        var position = index + 1
        var seen = 0
        while position < tokens.count, seen < Scorer.intensifierReach + 1, case .word(let word) = tokens[position].kind {
            if let found = term(word) {
                if found.term.valence != 0 || found.term.roles.contains(.event) { return true }
                if !found.term.roles.contains(.scopeTransparent) && !found.term.roles.contains(.intensifier) { seen += 1 }
            } else {
                seen += 1
            }
            position += 1
        }
        return false
    }

    // MARK: - Summing up

    /// The weight a judgement keeps once the whole message is read.
    private func weight(_ judgement: Judgement, lastEpoch: Int) -> Double {
        var weight = 1.0
        if judgement.epoch < lastEpoch || judgement.isConceded { weight *= Scorer.concededWeight }
        if judgement.isConditional { weight *= Scorer.conditionalWeight }
        if judgement.isApology { weight *= Scorer.apologyWeight }
        if judgement.inQuestion && !judgement.isSymbol {
            if judgement.valence > 0 {
                weight *= Scorer.questionPraiseWeight
            } else if judgement.isInquiry {
                weight *= Scorer.inquiryComplaintWeight
            } else if judgement.valence > Scorer.mildComplaintValence && !judgement.isChallenge {
                weight *= Scorer.questionMildComplaintWeight
            } else {
                weight *= Scorer.questionComplaintWeight
            }
        }
        return weight
    }

    /// Praise followed, in the same part of the message (no contrast between), by a
    /// complaint outside a question: said first in its sentence it is irony and turns
    /// into complaint ("genial, otra semana esperando"); elsewhere the open complaint
    /// outweighs it ("color is nice. size is wrong"). Praise after the complaint stands
    /// ("se perdió, el segundo llegó perfecto").
    private mutating func applyComplaintAfterPraise() {
        for index in judgements.indices where judgements[index].valence > 0 {
            let praise = judgements[index]
            let complains = judgements[(index + 1)...].contains {
                $0.epoch == praise.epoch && $0.valence <= Scorer.openComplaintValence && !$0.inQuestion && !$0.isConceded
                    && !$0.isApology && !$0.isConditional
            }
            // The last part of a contrast wins: praise before it weighs less again when that
            // part holds an open complaint ("muy amable, pero el bolso tiene una costura suelta").
            let lastPartComplains = praise.epoch < finalEpoch && judgements.contains {
                $0.epoch == finalEpoch && $0.valence <= Scorer.openComplaintValence && !$0.inQuestion && !$0.isConceded
                    && !$0.isApology && !$0.isConditional
            }
            if lastPartComplains && !complains {
                judgements[index].valence *= Scorer.praiseBeforeComplaintWeight
                continue
            }
            guard complains, !praise.inQuestion else { continue }
            if praise.isIronyCandidate {
                judgements[index].valence = Scorer.ironyFactor * abs(praise.valence)
                ironic = true
            } else {
                judgements[index].valence *= Scorer.praiseBeforeComplaintWeight
            }
        }
    }

    /// Applause and smiles after ironic praise are part of the irony ("estupendo, me
    /// cobráis el envío dos veces 👏👏").
    private mutating func applyIronyToSymbols() {
        guard ironic else { return }
        for index in judgements.indices where judgements[index].isSymbol && judgements[index].valence > 0 {
            judgements[index].valence = Scorer.ironyFactor * judgements[index].valence
        }
    }

    private var lastEpoch: Int { finalEpoch }

    /// Whether a strong term is used in earnest: not negated, not conceded, not hypothetical.
    var hasStrongTerm: Bool {
        let last = lastEpoch
        return judgements.contains {
            $0.base <= SentimentLexicon.strongValence && !$0.isNegated && !$0.isConceded && $0.epoch == last
        }
    }

    mutating func score() -> Double {
        applyComplaintAfterPraise()
        applyIronyToSymbols()
        let last = lastEpoch
        let sum = judgements.reduce(0) { $0 + $1.valence * weight($1, lastEpoch: last) }
        var score = sum / (sum * sum + Scorer.squash).squareRoot()
        if hasStrongTerm {
            score = min(score, Scorer.strongScoreCeiling)
        } else {
            score = max(score, Scorer.ordinaryScoreFloor)
        }
        return max(-1, min(1, score))
    }

    func features(score: Double, language: AssistLanguage, asksForHuman: Bool) -> [Float] {
        let last = lastEpoch
        var positive = 0.0
        var negative = 0.0
        var finalClause = 0.0
        var positiveSymbols = 0
        var negativeSymbols = 0
        for judgement in judgements {
            let weighted = judgement.valence * weight(judgement, lastEpoch: last)
            if weighted > 0 { positive += weighted } else { negative -= weighted }
            if judgement.epoch == last && !judgement.isConceded { finalClause += judgement.valence }
            if judgement.isSymbol { if judgement.valence > 0 { positiveSymbols += 1 } else { negativeSymbols += 1 } }
        }
        func squashed(_ value: Double) -> Double { value / (abs(value) + 1) }
        func share(_ count: Int, of whole: Int) -> Double { min(1, Double(count) / Double(whole)) }
        var values = [Double](repeating: 0, count: LexiconFeature.allCases.count)
        values[LexiconFeature.score.rawValue] = score
        values[LexiconFeature.positiveMass.rawValue] = squashed(positive)
        values[LexiconFeature.negativeMass.rawValue] = squashed(negative)
        values[LexiconFeature.strongNegative.rawValue] = hasStrongTerm ? 1 : 0
        values[LexiconFeature.negation.rawValue] = share(negations, of: 2)
        values[LexiconFeature.contrast.rawValue] = contrasts > 0 ? 1 : 0
        values[LexiconFeature.finalClauseValence.rawValue] = squashed(finalClause)
        values[LexiconFeature.intensity.rawValue] = share(intensified, of: 2)
        values[LexiconFeature.positiveEmoji.rawValue] = share(positiveSymbols, of: 2)
        values[LexiconFeature.negativeEmoji.rawValue] = share(negativeSymbols, of: 2)
        values[LexiconFeature.exclamation.rawValue] = share(exclamations, of: 3)
        values[LexiconFeature.shouting.rawValue] = words == 0 ? 0 : Double(shoutedWords) / Double(words)
        values[LexiconFeature.question.rawValue] = questions > 0 ? 1 : 0
        values[LexiconFeature.irony.rawValue] = ironic ? 1 : 0
        values[LexiconFeature.asksForHuman.rawValue] = asksForHuman ? 1 : 0
        values[LexiconFeature.spanish.rawValue] = language == .es ? 1 : 0
        values[LexiconFeature.complaintTopic.rawValue] = share(complaintTopics, of: 2)
        values[LexiconFeature.politeness.rawValue] = polite ? 1 : 0
        values[LexiconFeature.elongation.rawValue] = elongated ? 1 : 0
        values[LexiconFeature.length.rawValue] = share(words, of: 40)
        return values.map { Float($0) }
    }
}
