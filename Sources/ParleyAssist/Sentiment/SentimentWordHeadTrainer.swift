import Foundation
import ParleyCore

/// Fits a ``SentimentWordHead``: multinomial logistic regression on which features a message
/// holds (0 or 1 each, so no standardising), with an L2 penalty on the feature weights and
/// none on the biases, by ``SentimentHeadTrainer``'s accelerated gradient descent. No
/// randomness and a fixed order of every sum: the same examples give the same table.
public enum SentimentWordHeadTrainer {
    /// A feature enters the table when at least this many training messages hold it: one
    /// message's words would be learned by heart.
    public static let minimumMessages = 2
    /// The L2 penalties cross-validation chooses among (per example), strongest first so
    /// that a tie goes to the smoother table.
    public static let penaltyCandidates: [Double] = [0.001, 0.0003, 0.0001]
    /// A feature whose weights all stay below this after the fit is left out of the table:
    /// it changes no probability in the third decimal.
    public static let negligibleWeight: Float = 0.002

    /// The features held by at least ``minimumMessages`` of the messages, sorted.
    public static func vocabulary(_ messages: [Set<String>]) -> [String] {
        var counts: [String: Int] = [:]
        for features in messages { for feature in features { counts[feature, default: 0] += 1 } }
        return counts.filter { $0.value >= minimumMessages }.keys.sorted()
    }

    /// Each message's known features as sorted column numbers.
    static func rows(_ messages: [Set<String>], vocabulary: [String]) -> [[Int]] {
        let columns = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
        return messages.map { $0.compactMap { columns[$0] }.sorted() }
    }

    /// The head fitted on every message, its table pruned of negligible features.
    public static func fit(messages: [Set<String>], labels: [SentimentLabel], l2: Double, negativeThreshold: Double = 0.5) -> SentimentWordHead {
        let vocabulary = vocabulary(messages)
        let weights = minimise(rows: rows(messages, vocabulary: vocabulary), labels: labels, width: vocabulary.count, l2: l2)
        let classes = SentimentHead.classes.count
        let stride = vocabulary.count + 1
        let kept = vocabulary.indices.filter { column in
            (0..<classes).contains { abs(Float(weights[$0 * stride + column])) >= negligibleWeight }
        }
        var table: [Float] = []
        for row in 0..<classes {
            table += kept.map { Float(weights[row * stride + $0]) }
            table.append(Float(weights[row * stride + vocabulary.count]))
        }
        return SentimentWordHead(l2: l2, negativeThreshold: negativeThreshold, features: kept.map { vocabulary[$0] }, weights: table)
    }

    /// Every message's probabilities from a head fitted without its fold (message `i` is in
    /// fold `i % folds`), the vocabulary too taken from the other folds only.
    public static func outOfFoldProbabilities(
        messages: [Set<String>], labels: [SentimentLabel], l2: Double, folds: Int = SentimentHeadTrainer.folds
    ) -> [[Double]] {
        var result = Array(repeating: [Double](), count: messages.count)
        for fold in 0..<folds {
            let training = messages.indices.filter { $0 % folds != fold }
            let head = fit(messages: training.map { messages[$0] }, labels: training.map { labels[$0] }, l2: l2)
            for index in messages.indices where index % folds == fold {
                result[index] = head.probabilities(features: messages[index])
            }
        }
        return result
    }

    /// The weights (classes × (width + 1), bias last) minimising the mean cross-entropy plus
    /// `l2 / 2` times the squared feature weights.
    static func minimise(rows: [[Int]], labels: [SentimentLabel], width: Int, l2: Double) -> [Double] {
        let classes = SentimentHead.classes.count
        let stride = width + 1
        let targets = labels.map { SentimentHead.classes.firstIndex(of: $0)! }
        let scale = 1 / Double(max(1, rows.count))
        // ZᵀZ/n's largest eigenvalue is at most its trace, the mean count of ones in a row
        // (the bias's included); Böhning's bound halves it.
        let meanOnes = rows.reduce(0.0) { $0 + Double($1.count + 1) } * scale
        return SentimentHeadTrainer.minimise(count: classes * stride, lipschitz: 0.5 * meanOnes + l2) { weights in
            var gradient = Array(repeating: 0.0, count: weights.count)
            var logits = Array(repeating: 0.0, count: classes)
            for (row, columns) in rows.enumerated() {
                for k in 0..<classes {
                    let base = k * stride
                    logits[k] = columns.reduce(weights[base + width]) { $0 + weights[base + $1] }
                }
                let probabilities = SentimentHead.softmax(logits)
                for k in 0..<classes {
                    let error = (probabilities[k] - (targets[row] == k ? 1 : 0)) * scale
                    let base = k * stride
                    for column in columns { gradient[base + column] += error }
                    gradient[base + width] += error
                }
            }
            for k in 0..<classes {
                for column in 0..<width { gradient[k * stride + column] += l2 * weights[k * stride + column] }
            }
            return gradient
        }
    }
}
