import Foundation
import ParleyCore

/// The classifier head on the sentence encoder: a multinomial logistic regression from a
/// message's encoder vector followed by the lexicon's features to the probabilities of
/// negative, neutral and positive.
///
/// Trained by ``SentimentHeadTrainer`` (`parley assist train-sentiment`) for one encoder and
/// one lexicon; ``accepts(embedder:lexiconFeatureCount:)`` refuses any other, because its
/// weights mean nothing for another model's vectors or another lexicon's features.
public struct SentimentHead: Sendable, Equatable {
    /// The classes, in the order of the weight rows and of ``probabilities(_:)``.
    public static let classes: [SentimentLabel] = [.negative, .neutral, .positive]

    /// The encoder the head was trained on (`SentenceEmbedder.modelName`).
    public var modelName: String
    /// The length of that encoder's vectors.
    public var dimension: Int
    /// `LexiconSentimentScorer.featureCount` when it was trained.
    public var lexiconFeatureCount: Int
    /// The penalties it was trained with (chosen by cross-validation, see
    /// ``SentimentHeadTrainer``), kept so the training can be repeated exactly.
    public var l2: Double
    public var lexiconPenaltyScale: Double
    /// The message is negative when P(negative) reaches this, even when another class is more
    /// probable: a missed complaint costs more than a calm message read as negative (it is
    /// what escalation runs on). Chosen with the penalties by cross-validation so that
    /// negative recall reaches ``SentimentHeadTrainer/targetNegativeRecall``; 0.5 or more is
    /// the most probable class alone.
    public var negativeThreshold: Double
    /// One row per class in ``classes`` order, each `inputWidth` weights on raw input values
    /// followed by the bias.
    public var weights: [Float]

    public init(
        modelName: String, dimension: Int, lexiconFeatureCount: Int, l2: Double, lexiconPenaltyScale: Double,
        negativeThreshold: Double = 0.5, weights: [Float]
    ) {
        self.modelName = modelName
        self.dimension = dimension
        self.lexiconFeatureCount = lexiconFeatureCount
        self.l2 = l2
        self.lexiconPenaltyScale = lexiconPenaltyScale
        self.negativeThreshold = negativeThreshold
        self.weights = weights
    }

    /// The length of an input: the encoder vector, then the lexicon's features.
    public var inputWidth: Int { dimension + lexiconFeatureCount }

    /// Whether the head can read this embedder's vectors beside this lexicon's features: the
    /// same model, the same dimension, the same feature count, and weights of the right size.
    public func accepts(embedder: any SentenceEmbedder, lexiconFeatureCount: Int = LexiconSentimentScorer.featureCount) -> Bool {
        dimension > 0 && embedder.modelName == modelName && embedder.dimension == dimension
            && lexiconFeatureCount == self.lexiconFeatureCount
            && weights.count == Self.classes.count * (inputWidth + 1)
    }

    /// The head's input for one message.
    public static func input(vector: [Float], lexiconFeatures: [Float]) -> [Float] {
        vector + lexiconFeatures
    }

    /// P(negative), P(neutral), P(positive) for one input of `inputWidth` values.
    public func probabilities(_ input: [Float]) -> [Double] {
        precondition(input.count == inputWidth, "a sentiment head input has \(inputWidth) values, not \(input.count)")
        let stride = inputWidth + 1
        let logits = weights.withUnsafeBufferPointer { weights in
            input.withUnsafeBufferPointer { input in
                (0..<Self.classes.count).map { row in
                    let base = row * stride
                    var sum = Double(weights[base + inputWidth])
                    for column in 0..<inputWidth { sum += Double(weights[base + column]) * Double(input[column]) }
                    return sum
                }
            }
        }
        return Self.softmax(logits)
    }

    static func softmax(_ logits: [Double]) -> [Double] {
        let top = logits.max() ?? 0
        let exponentials = logits.map { exp($0 - top) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }

    /// The score a negative (or positive) label gets when the lexicon saw no judgement of
    /// that sign: mild, short of ``EscalationPolicy/stronglyNegativeScore`` whatever the
    /// head's confidence.
    public static let mildScoreRange = 0.1...0.5

    /// A head's reading that keeps the lexicon's negatives: negative when the lexicon says so
    /// (with its score), else ``combined(_:lexicon:negativeThreshold:)``. How both heads are
    /// read: the word head against the rules (the lexicon's reading), the encoder's head
    /// against the lexicon's reading, so a server with the encoder never misses a complaint
    /// one without it catches. The lexicon is precise about the complaints it sees; the heads
    /// find the ones worded without a sentiment word.
    public static func keepingLexiconNegative(_ probabilities: [Double], lexicon: Sentiment, negativeThreshold: Double) -> Sentiment {
        if lexicon.label == .negative { return lexicon }
        return combined(probabilities, lexicon: lexicon, negativeThreshold: negativeThreshold)
    }

    /// The combined sentiment from the head's probabilities and the lexicon's reading.
    ///
    /// The label is negative when P(negative) reaches `negativeThreshold` (the head's
    /// ``negativeThreshold``), else the head's most probable class. The score says how strongly, and the head
    /// cannot: it is trained on labels, not on intensity, so it is as sure of "llega tarde"
    /// as of "esto es una estafa" (P(positive) − P(negative) reached -0.6 on 189 of the 208
    /// mildly negative training messages, cross-validated, so a single annoyed message would
    /// escalate). So the intensity comes from the lexicon, which weighs intensifiers, CAPS and
    /// the marketplace's strong words:
    /// - when the lexicon reads the same sign, the score is the lexicon's;
    /// - otherwise it is mild: ± (0.1 + 0.4 × the label's probability) for negative and
    ///   positive, a tenth of P(positive) − P(negative) for neutral.
    ///
    /// One exception keeps escalation safe: when the lexicon reads the message as strongly
    /// negative (at or below ``EscalationPolicy/stronglyNegativeScore``, e.g. "estafa",
    /// "chargeback"), the message is negative with the lexicon's score whatever the head
    /// says; a missed angry buyer costs more than a conversation looked at once too often.
    public static func combined(_ probabilities: [Double], lexicon: Sentiment, negativeThreshold: Double = 0.5) -> Sentiment {
        if lexicon.label == .negative && lexicon.score <= EscalationPolicy.stronglyNegativeScore {
            return Sentiment(label: .negative, score: lexicon.score)
        }
        let negative = classes.firstIndex(of: .negative)!
        let best =
            probabilities[negative] >= negativeThreshold
            ? negative : probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 1
        let label = classes[best]
        let mild = mildScoreRange.lowerBound + (mildScoreRange.upperBound - mildScoreRange.lowerBound) * probabilities[best]
        switch label {
        case .negative:
            return Sentiment(label: label, score: lexicon.label == .negative ? lexicon.score : -mild)
        case .positive:
            return Sentiment(label: label, score: lexicon.label == .positive ? lexicon.score : mild)
        case .neutral:
            return Sentiment(label: label, score: lexicon.label == .neutral ? lexicon.score : (probabilities[2] - probabilities[0]) / 10)
        }
    }
}
