import Foundation
import ParleyCore

/// The lexicon's learned half: for each word stem and each pair of neighbouring stems seen
/// in the labelled corpus, a weight per class (negative, neutral, positive), read as a
/// multinomial logistic regression over which of them a message holds. Where the hand-written
/// rules of ``LexiconSentimentScorer`` know the words of sentiment, this knows the words of
/// the marketplace's complaints that carry none ("la suela se despega", "tracking hasn't
/// moved", "¿me vais a contestar?"), as the buyers of the corpus wrote them.
///
/// Needs no model: its table is Swift source (`SentimentWordHeadWeights.swift`), written by
/// `parley assist train-sentiment-words` from the tuning splits (``SentimentWordHeadTrainer``).
/// The rules still give the score (how strongly) and their negatives stand; otherwise this
/// decides the label the way the encoder head does
/// (``SentimentHead/keepingLexiconNegative(_:lexicon:negativeThreshold:)``).
public struct SentimentWordHead: Sendable, Equatable {
    /// A word counts by its first this many letters (folded): "envío", "enviado" and
    /// "envíos" are one feature, "enviar" another one letter on.
    public static let stemLength = 5

    /// The penalty it was trained with, chosen by cross-validation.
    public let l2: Double
    /// The message is negative when P(negative) reaches this (see ``SentimentHead/negativeThreshold``).
    public let negativeThreshold: Double
    /// The features it knows, in the order of the weight columns.
    public let features: [String]
    /// One row per class of ``SentimentHead/classes``, each a weight per feature followed by the bias.
    public let weights: [Float]
    private let columns: [String: Int]

    public init(l2: Double, negativeThreshold: Double, features: [String], weights: [Float]) {
        precondition(weights.count == SentimentHead.classes.count * (features.count + 1), "a weight per class and feature, and a bias")
        self.l2 = l2
        self.negativeThreshold = negativeThreshold
        self.features = features
        self.weights = weights
        columns = Dictionary(features.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public static func == (lhs: SentimentWordHead, rhs: SentimentWordHead) -> Bool {
        lhs.l2 == rhs.l2 && lhs.negativeThreshold == rhs.negativeThreshold && lhs.features == rhs.features && lhs.weights == rhs.weights
    }

    /// P(negative), P(neutral), P(positive) for a message.
    public func probabilities(_ text: String) -> [Double] {
        probabilities(SentimentTokenizer.tokens(text))
    }

    func probabilities(_ tokens: [SentimentToken]) -> [Double] {
        probabilities(features: Self.features(tokens))
    }

    /// The probabilities for a message's features (``features(_:)``).
    public func probabilities(features messageFeatures: Set<String>) -> [Double] {
        let present = messageFeatures.compactMap { columns[$0] }.sorted()
        let stride = features.count + 1
        let logits = (0..<SentimentHead.classes.count).map { row in
            let base = row * stride
            return present.reduce(Double(weights[base + features.count])) { $0 + Double(weights[base + $1]) }
        }
        return SentimentHead.softmax(logits)
    }

    /// The features a message holds, each once: its words' stems, its emoji's signs, its
    /// punctuation ("?", "!", ",", "."), every pair of neighbours among them ("no llega",
    /// "still waiting", "? ?"), and its length (``lengthFeature(units:)``). An opening "¿"
    /// or "¡" is not one: the mark that closes its sentence says the same, and most people
    /// leave it out, so "¿llega mañana?" and "llega mañana?" read alike.
    public static func features(_ text: String) -> Set<String> {
        features(SentimentTokenizer.tokens(text))
    }

    static func features(_ tokens: [SentimentToken]) -> Set<String> {
        var units: [String] = []
        units.reserveCapacity(tokens.count)
        for token in tokens {
            switch token.kind {
            case .word(let word): units.append(String(word.prefix(stemLength)))
            case .symbol(let valence): units.append(valence < 0 ? ":(" : ":)")
            case .clauseBreak: units.append(",")
            case .sentenceEnd(.question): units.append("?")
            case .sentenceEnd(.exclamation): units.append("!")
            case .sentenceEnd(.plain): units.append(".")
            case .sentenceEnd(.opening): continue
            }
        }
        var result = Set(units)
        for index in units.indices.dropLast() { result.insert(units[index] + " " + units[index + 1]) }
        result.insert(lengthFeature(units: units.count))
        return result
    }

    /// The message's length as a feature: "#len 1-3", "#len 4-6", "#len 7-10" or "#len 11+"
    /// units (words, emoji and punctuation).
    ///
    /// Complaints are longer than thanks and answers, so without it the commonest words
    /// ("la", "si", ",") learn the length and lean negative by sheer frequency, and a short
    /// reply made of them ("si porfa, la 39", "ahi la tienes") read as a complaint: a second
    /// negative message in a row, an escalation of a calm buyer. With it, the length is
    /// learned once and those words weigh what they mean. (Leaving the common words out
    /// instead cost 1.4 points of cross-validated macro-F1; this costs 1.1 and reads every
    /// escalation conversation right, docs/benchmarks.md.)
    static func lengthFeature(units: Int) -> String {
        switch units {
        case ...3: "#len 1-3"
        case ...6: "#len 4-6"
        case ...10: "#len 7-10"
        default: "#len 11+"
        }
    }
}
