import ParleyCore

/// Scores how a Spanish or English chat message reads, from ``SentimentLexicon``'s words
/// and a few rules, in a few microseconds and without a model: the first of the two parts
/// of a message's sentiment (the other is the classifier head on the sentence encoder,
/// which takes this reading's `features`).
///
/// The rules, in the order they apply to each word:
/// - phrases before words ("sin embargo" is a contrast, "hoja de reclamaciones" a threat);
/// - negation ("no", "nunca", "ni", "sin", "not", "never", "nothing") reaches the next
///   three words of its clause (clitics and auxiliaries do not count: "no me lo han
///   enviado"): praise turns into complaint, complaint into mild praise ("no está mal"),
///   and a neutral event into a complaint ("no llega", "never arrived", "sin respuesta");
///   a comparison keeps praise ("no podría estar más contenta");
/// - intensifiers and diminishers scale the next judgement ("muy", "really", "un poco"),
///   or the one just before when nothing follows ("no me gusta nada", "not bad at all");
///   CAPS and elongation ("noooo") intensify the word, "!" its sentence;
/// - a question keeps its complaints but little of its praise ("¿es buena la calidad?");
///   a conditional clause ("si no me gusta…") counts little;
/// - contrast: what comes after the last "pero" / "but" / "sin embargo" / "however"
///   weighs more, and praise before it less again when that part complains; an opening
///   "aunque" / "although" concedes its own clause instead;
/// - irony: praise said first ("genial, …", "great, just great") followed by a complaint
///   in the same part of the message turns into a complaint;
/// - waiting: a time unit with a sign of waiting ("llevo dos semanas", "still … 12 days")
///   is a complaint; so is "otra semana" / "another week";
/// - problem reports without a sentiment word: what was ordered, paid for or listed set
///   beside what came in the same sentence ("encargué la 40 y me mandaste la 38", "I paid
///   for express and it took 9 days"); a belief followed by a comparison ("pensaba que
///   sería más grande", "it looked nicer in the photos"); "solo" / "only" before a working
///   or arriving verb ("solo carga si muevo el cable"); polite openings ("siento
///   molestarte", "sorry to bother you") are not apologies and leave the complaint whole;
///   a question about the item ("¿tiene marcas de uso?", "any scratches or is it clean?")
///   names defects without complaining; a question that opens by asking the other party
///   to account for something about the order ("¿por qué me cobráis el envío?") complains;
/// - strong vocabulary (fraud, disputes, threats, insults; ``SentimentLexicon/strongValence``)
///   puts the message at or below `strongScoreCeiling`.
///
/// The weighted sum of the judgements is squashed into -1…1 by `sum / sqrt(sum² + squash)`.
///
/// Those rules know the words of sentiment; many complaints use none ("la suela se
/// despega", "tracking hasn't moved since tuesday"). So the label comes from the rules and
/// the lexicon's learned half together, ``SentimentWordHead`` (a weight per class for each
/// word stem and stem pair of the labelled corpus): negative when the rules say so or when
/// the word head's P(negative) reaches its threshold, else the word head's most probable
/// class, with the rules' score when they agree
/// (``SentimentHead/keepingLexiconNegative(_:lexicon:negativeThreshold:)``).
/// `LexiconSentimentScorer(wordHead: nil)` reads with the rules alone.
public struct LexiconSentimentScorer: Sendable {
    /// How many features a reading carries (``LexiconFeature``).
    public static let featureCount = LexiconFeature.allCases.count

    /// A score at or below this is negative. Close to zero because a missed complaint costs
    /// more than a calm message shown as negative: it is what escalation runs on.
    public static let negativeThreshold = -0.1
    /// A score at or above this is positive. Above a bare "gracias" (neutral by the
    /// corpus's rule), below a single "genial" or "perfecto, gracias".
    public static let positiveThreshold = 0.2
    /// A message with strong vocabulary scores at most this, below
    /// `EscalationPolicy.stronglyNegativeScore` so that it escalates on its own.
    public static let strongScoreCeiling = -0.7
    /// Without strong vocabulary a message scores at least this, above
    /// `EscalationPolicy.stronglyNegativeScore`: however angry, an ordinary complaint
    /// ("horrible", "fatal, fatal, fatal", "llega tarde") escalates only as the second
    /// negative message in a row, as the contract's rule intends.
    public static let ordinaryScoreFloor = -0.55
    /// A judgement at or below this is an open complaint that outweighs praise before it.
    static let openComplaintValence = -0.2
    /// What praise before an open complaint still counts ("color is nice. size is wrong").
    static let praiseBeforeComplaintWeight = 0.3
    /// The `squash` of `sum / sqrt(sum² + squash)`: one ordinary complaint ("mal", -0.5)
    /// scores about -0.45 and stays above the escalation line; it takes strong vocabulary
    /// or several intensified complaints to cross it.
    static let squash = 1.0
    /// What a judgement before the last contrast, or in a conceded clause, still counts.
    static let concededWeight = 0.35
    /// What a judgement inside a conditional clause counts ("si no me gusta, ¿…?").
    static let conditionalWeight = 0.2
    /// What a judgement counts in a sentence where the writer apologises ("sorry for the
    /// delay, it goes out today"): the fault admitted is not a complaint.
    static let apologyWeight = 0.2
    /// What praise inside a question counts ("¿es buena la calidad?" asks, it does not praise).
    static let questionPraiseWeight = 0.3
    /// What a complaint inside a question counts ("¿por qué tarda tanto?" still complains).
    static let questionComplaintWeight = 0.75
    /// A complaint milder than this (above it) describes rather than complains when it is
    /// asked about ("¿está nuevo o usado?", "what's the return window?").
    static let mildComplaintValence = -0.3
    /// What such a mild complaint counts inside a question.
    static let questionMildComplaintWeight = 0.3
    /// What a complaint counts in a question about the item ("any scratches?", "¿tiene
    /// marcas de uso?"): it names what is asked about.
    static let inquiryComplaintWeight = 0.15
    /// Negated praise becomes a complaint this strong ("no me gusta").
    static let negatedPraiseFactor = -0.75
    /// A negated complaint becomes praise this strong ("no está mal").
    static let negatedComplaintFactor = -0.5
    /// What a negated neutral event ("no llega", "never arrived") counts.
    static let negatedEventValence = -0.45
    /// Words after a negator that its scope reaches.
    static let negationScope = 3
    /// Words after an intensifier that it still reaches ("muy, muy bien"; "so very good").
    static let intensifierReach = 2
    /// Ironic praise turns into a complaint this strong, relative to its praise.
    static let ironyFactor = -0.6
    /// Praise among the first this many words of its sentence can be ironic.
    static let ironyPosition = 3
    /// A wait ("llevo dos semanas esperando") counts this much.
    static let waitingValence = -0.45
    /// "otra semana", "another week".
    static let anotherPeriodValence = -0.35
    /// What was expected set beside what came ("pedí la 40 y me llegó la 38", "I paid for
    /// express and it took 9 days"): an ordinary complaint, a little below "mal".
    static let mismatchValence = -0.4
    /// A question that opens by asking the other party to account for something about the
    /// order ("¿por qué me cobráis el envío?", "why is my package still in Madrid?") and
    /// holds no complaint word: it complains, as a mild complaint (counted as a question's).
    static let challengeValence = -0.3
    /// A belief followed by a comparison ("esperaba más", "I thought it would be bigger").
    static let letdownValence = -0.45
    /// "solo" / "only" before a working or arriving verb ("solo carga si…", "only half came").
    static let restrictedValence = -0.4
    /// Words after "solo" / "only" (clitics and auxiliaries aside) that it still reaches:
    /// "only half of it came".
    static let restrictiveReach = 3
    /// CAPS and elongated words are this much stronger.
    static let shoutFactor = 1.3
    static let elongationFactor = 1.2
    /// Each "!" of a sentence (up to three) makes its judgements this much stronger.
    static let exclamationStep = 0.1
    static let maxExclamations = 3

    /// The characters of a message the language is guessed from: a message shows its
    /// language in its first sentence, and the guess folds what it reads, which costs.
    static let languageSampleCharacters = 280

    /// The lexicon's learned half; nil reads with the rules alone.
    public let wordHead: SentimentWordHead?

    public init(wordHead: SentimentWordHead? = .trained) {
        self.wordHead = wordHead
    }

    public func read(_ text: String) -> LexiconReading {
        let tokens = SentimentTokenizer.tokens(text)
        var pass = ScoringPass(tokens: tokens)
        pass.run()
        let language = Self.language(of: text, spanishHits: pass.spanishHits, englishHits: pass.englishHits)
        let asksForHuman = HumanRequestDetector().asksForHuman(words: SentimentTokenizer.words(tokens))
        let score = pass.score()
        let features = pass.features(score: score, language: language, asksForHuman: asksForHuman)
        let rules = Self.sentiment(score: score)
        return LexiconReading(
            score: score, language: language, features: features, sentiment: withWords(rules, tokens), rules: rules,
            asksForHuman: asksForHuman)
    }

    /// The sentiment alone, as ``read(_:)`` gives it: what the send path stores. It skips
    /// the language guess, the request for a person and the features, which only the
    /// classifier and escalation read (after the commit) and which cost as much again.
    public func sentiment(_ text: String) -> Sentiment {
        let tokens = SentimentTokenizer.tokens(text)
        var pass = ScoringPass(tokens: tokens)
        pass.run()
        return withWords(Self.sentiment(score: pass.score()), tokens)
    }

    /// The lexicon's second reading of `text` from the rules' reading of it (``sentiment(_:)``
    /// with no word head, e.g. what the send path stored): the word head alone runs, about a
    /// third of the whole reading's cost, and with `checkingForHuman` the request-for-a-person
    /// detector on the same words (the text is tokenized once).
    public func reread(_ text: String, rules: Sentiment, checkingForHuman: Bool) -> (sentiment: Sentiment, asksForHuman: Bool) {
        guard wordHead != nil || checkingForHuman else { return (rules, false) }
        let tokens = SentimentTokenizer.tokens(text)
        let asksForHuman = checkingForHuman && HumanRequestDetector().asksForHuman(words: SentimentTokenizer.words(tokens))
        return (withWords(rules, tokens), asksForHuman)
    }

    /// The rules' reading with the word head's (``SentimentHead/keepingLexiconNegative(_:lexicon:negativeThreshold:)``).
    private func withWords(_ rules: Sentiment, _ tokens: [SentimentToken]) -> Sentiment {
        guard let wordHead else { return rules }
        return SentimentHead.keepingLexiconNegative(wordHead.probabilities(tokens), lexicon: rules, negativeThreshold: wordHead.negativeThreshold)
    }

    /// A score with its label.
    static func sentiment(score: Double) -> Sentiment {
        let label: SentimentLabel =
            if score <= negativeThreshold { .negative } else if score >= positiveThreshold { .positive } else { .neutral }
        return Sentiment(label: label, score: score)
    }

    /// ``LanguageGuess`` first; when it cannot tell, the language of more lexicon words;
    /// Spanish when neither tells, as the marketplace's first language.
    static func language(of text: String, spanishHits: Int, englishHits: Int) -> AssistLanguage {
        if let guess = LanguageGuess.guess(String(text.prefix(languageSampleCharacters))) { return guess }
        if englishHits > spanishHits { return .en }
        return .es
    }
}
