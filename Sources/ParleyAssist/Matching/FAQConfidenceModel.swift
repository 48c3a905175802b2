import Foundation

/// A logistic regression from `FAQMatchFeatures` to the probability that the best entry
/// answers the message correctly, and the probability above which the matcher answers by
/// itself. Fitted by `parley assist eval --split tune --tune` on the tune split alone; the
/// threshold is chosen on cross-validated probabilities inside that split.
public struct FAQConfidenceModel: Sendable, Equatable, Codable {
    /// One weight per feature, in `FAQMatchFeatures.names` order, on raw feature values.
    public var weights: [Double]
    public var bias: Double
    /// The probability an automatic answer needs.
    public var threshold: Double
    /// The smallest lead over a different answer that is ever answered: two entries that
    /// answer differently and match equally must not answer, however sure the model is.
    public var minimumMargin: Double

    public init(weights: [Double], bias: Double, threshold: Double, minimumMargin: Double) {
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self.minimumMargin = minimumMargin
    }

    public func probability(_ features: FAQMatchFeatures) -> Double {
        Self.sigmoid(zip(weights, features.values).reduce(bias) { $0 + $1.0 * $1.1 })
    }

    public func accepts(_ features: FAQMatchFeatures) -> Bool {
        features.margin >= minimumMargin && probability(features) >= threshold
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// Fits weights by gradient descent on the log loss with an L2 penalty, on features
    /// standardised over `samples` (then expressed on raw values); deterministic: the same
    /// samples give the same weights. `threshold` and `minimumMargin` are the caller's.
    public static func fit(
        _ samples: [(features: [Double], correct: Bool)], l2: Double = 0.05, iterations: Int = 1_500, learningRate: Double = 0.5
    ) -> (weights: [Double], bias: Double) {
        let width = FAQMatchFeatures.names.count
        guard !samples.isEmpty else { return (Array(repeating: 0, count: width), 0) }
        let count = Double(samples.count)
        var mean = Array(repeating: 0.0, count: width)
        var deviation = Array(repeating: 0.0, count: width)
        for sample in samples { for column in 0..<width { mean[column] += sample.features[column] / count } }
        for sample in samples {
            for column in 0..<width { deviation[column] += pow(sample.features[column] - mean[column], 2) / count }
        }
        deviation = deviation.map { max(1e-6, $0.squareRoot()) }
        let rows = samples.map { sample in (0..<width).map { (sample.features[$0] - mean[$0]) / deviation[$0] } }
        let targets = samples.map { $0.correct ? 1.0 : 0.0 }
        var weights = Array(repeating: 0.0, count: width)
        var bias = 0.0
        for _ in 0..<iterations {
            var gradient = Array(repeating: 0.0, count: width)
            var biasGradient = 0.0
            for (row, target) in zip(rows, targets) {
                let error = sigmoid(zip(weights, row).reduce(bias) { $0 + $1.0 * $1.1 }) - target
                for column in 0..<width { gradient[column] += error * row[column] / count }
                biasGradient += error / count
            }
            for column in 0..<width { weights[column] -= learningRate * (gradient[column] + l2 * weights[column]) }
            bias -= learningRate * biasGradient
        }
        let raw = (0..<width).map { weights[$0] / deviation[$0] }
        let rawBias = bias - (0..<width).reduce(0) { $0 + weights[$1] * mean[$1] / deviation[$1] }
        return (raw, rawBias)
    }
}
