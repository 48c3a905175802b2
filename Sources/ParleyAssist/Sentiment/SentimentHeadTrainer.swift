import Foundation
import ParleyCore

/// Fits a ``SentimentHead``: multinomial logistic regression by accelerated full-batch
/// gradient descent (Nesterov, with a gradient restart) on inputs standardised over the
/// training set, from zero weights. No randomness and a fixed order of every sum, so the
/// same examples give the same weights, bit for bit, on the same machine.
public enum SentimentHeadTrainer {
    /// The penalties cross-validation chooses among: the L2 penalty of the encoder's
    /// columns (on standardised inputs, per example), and the lexicon's columns' penalty as
    /// a share of it (a few features that each mean something, against 512 coordinates that
    /// only mean something together). Strongest first, so a tie goes to the simpler head.
    public static let penaltyCandidates: [(l2: Double, lexiconPenaltyScale: Double)] = [
        (0.1, 1), (0.1, 0.1), (0.01, 1), (0.01, 0.1), (0.001, 1), (0.001, 0.1),
    ]
    /// The corpus's splits the head is trained on (`Evaluation/sentiment/<name>.jsonl`), in
    /// the order their examples are concatenated, which fixes the folds. Never `test`.
    public static let tuningSplits = ["train", "dev", "dev2", "dev4", "dev5"]
    /// Splits kept apart from training and from tuning the lexicon, read as fresh checks of
    /// how the readers do on messages written later, before a look at `test`.
    public static let checkSplits = ["dev3"]
    /// Whether the file at `path` is a split nothing may be trained on: `test` or a check split.
    public static func isHeldOut(_ path: String) -> Bool {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return name == "test" || checkSplits.contains(name)
    }
    /// The file of one split of the corpus, under `folder`.
    public static func splitFile(_ name: String, in folder: String = "Evaluation/sentiment") -> String {
        "\(folder)/\(name).jsonl"
    }
    /// Folds of the cross-validation that chooses the penalty.
    public static let folds = 5
    /// The cross-validated recall of negative messages the decision threshold must reach:
    /// above the 0.95 on held-out messages, since messages nobody here wrote are
    /// read less well than cross-validation suggests.
    public static let targetNegativeRecall = 0.97
    /// How far below the best cross-validated macro-F1 a threshold may be and still be chosen
    /// for reading messages written later better (`parley assist train-sentiment` with more
    /// than one file): cross-validation mixes every writing session into every fold, so it
    /// rewards the threshold that fits the sessions it has seen.
    public static let thresholdMacroF1Tolerance = 0.01
    /// The P(negative) thresholds cross-validation chooses among, highest (the most probable
    /// class alone) first, so a tie keeps the fewer false alarms.
    public static let negativeThresholdCandidates: [Double] = stride(from: 0.5, through: 0.1, by: -0.025).map {
        ($0 * 1000).rounded() / 1000
    }

    /// The threshold among ``negativeThresholdCandidates`` with the best macro-F1 among those
    /// whose negative recall reaches ``targetNegativeRecall`` (the lowest threshold when none
    /// does), with its confusion, from out-of-fold probabilities and the lexicon's readings.
    ///
    /// `combine` reads one message from its probabilities, the lexicon's reading and a
    /// threshold (``SentimentHead/keepingLexiconNegative(_:lexicon:negativeThreshold:)`` as
    /// the server reads both heads).
    public static func chooseNegativeThreshold(
        probabilities: [[Double]], lexicon: [Sentiment], labels: [SentimentLabel],
        combine: ([Double], Sentiment, Double) -> Sentiment = SentimentHead.keepingLexiconNegative
    ) -> (threshold: Double, confusion: SentimentConfusion, reachesTarget: Bool) {
        var best: (threshold: Double, confusion: SentimentConfusion, reachesTarget: Bool)?
        for threshold in negativeThresholdCandidates {
            var confusion = SentimentConfusion()
            for index in labels.indices {
                let combined = combine(probabilities[index], lexicon[index], threshold)
                confusion.add(actual: labels[index], predicted: combined.label)
            }
            let reaches = confusion.recall(.negative) >= targetNegativeRecall
            guard let current = best else {
                best = (threshold, confusion, reaches)
                continue
            }
            if reaches && (!current.reachesTarget || confusion.macroF1 > current.confusion.macroF1 + 1e-9) {
                best = (threshold, confusion, reaches)
            } else if !reaches && !current.reachesTarget {
                // Nothing reaches the target yet: the lower threshold, for the higher recall.
                best = (threshold, confusion, reaches)
            }
        }
        return best!
    }
    /// The fit stops when the gradient's largest component is below this: far below what
    /// moves a probability in the third decimal.
    public static let gradientTolerance = 1e-6
    /// A bound on the fit's work; a penalised fit on a thousand examples converges in far fewer.
    public static let maximumIterations = 20_000

    /// The head fitted on every example with penalty `l2` on the encoder's columns and
    /// `l2 × lexiconPenaltyScale` on the lexicon's.
    public static func fit(
        inputs: [[Float]], labels: [SentimentLabel], l2: Double, lexiconPenaltyScale: Double, modelName: String, dimension: Int,
        lexiconFeatureCount: Int
    ) -> SentimentHead {
        let width = dimension + lexiconFeatureCount
        precondition(inputs.count == labels.count && inputs.allSatisfy { $0.count == width }, "inputs of \(width) values, one per label")
        let design = Design(inputs: inputs, width: width)
        let targets = labels.map { SentimentHead.classes.firstIndex(of: $0)! }
        let penalties = (0..<width).map { $0 < dimension ? l2 : l2 * lexiconPenaltyScale }
        let standardised = minimise(design: design, targets: targets, penalties: penalties)
        return SentimentHead(
            modelName: modelName, dimension: dimension, lexiconFeatureCount: lexiconFeatureCount, l2: l2,
            lexiconPenaltyScale: lexiconPenaltyScale, weights: design.rawWeights(standardised))
    }

    /// Every example's probabilities from a head fitted without its fold (example `i` is in
    /// fold `i % folds`).
    public static func outOfFoldProbabilities(
        inputs: [[Float]], labels: [SentimentLabel], l2: Double, lexiconPenaltyScale: Double, modelName: String, dimension: Int,
        lexiconFeatureCount: Int, folds: Int = SentimentHeadTrainer.folds
    ) -> [[Double]] {
        var result = Array(repeating: [Double](), count: inputs.count)
        for fold in 0..<folds {
            let training = inputs.indices.filter { $0 % folds != fold }
            let head = fit(
                inputs: training.map { inputs[$0] }, labels: training.map { labels[$0] }, l2: l2,
                lexiconPenaltyScale: lexiconPenaltyScale, modelName: modelName,
                dimension: dimension, lexiconFeatureCount: lexiconFeatureCount)
            for index in inputs.indices where index % folds == fold { result[index] = head.probabilities(inputs[index]) }
        }
        return result
    }

    /// The inputs standardised (each column to mean 0, deviation 1 over the training set;
    /// constant columns to 0) with a final column of ones for the bias, row-major.
    struct Design {
        let rows: Int
        let width: Int
        /// `width + 1` values per row.
        var values: [Double]
        var mean: [Double]
        var deviation: [Double]

        init(inputs: [[Float]], width: Int) {
            rows = inputs.count
            self.width = width
            let count = Double(max(1, inputs.count))
            mean = Array(repeating: 0, count: width)
            deviation = Array(repeating: 0, count: width)
            for input in inputs { for column in 0..<width { mean[column] += Double(input[column]) } }
            mean = mean.map { $0 / count }
            for input in inputs {
                for column in 0..<width {
                    let centred = Double(input[column]) - mean[column]
                    deviation[column] += centred * centred
                }
            }
            deviation = deviation.map { ($0 / count).squareRoot() }
            values = Array(repeating: 0, count: inputs.count * (width + 1))
            for (row, input) in inputs.enumerated() {
                let base = row * (width + 1)
                for column in 0..<width where deviation[column] > 1e-9 {
                    values[base + column] = (Double(input[column]) - mean[column]) / deviation[column]
                }
                values[base + width] = 1
            }
        }

        /// Weights on standardised columns as weights on raw inputs (the bias absorbs the means).
        func rawWeights(_ standardised: [Double]) -> [Float] {
            var raw = [Float]()
            raw.reserveCapacity(standardised.count)
            for row in 0..<SentimentHead.classes.count {
                let base = row * (width + 1)
                var bias = standardised[base + width]
                for column in 0..<width {
                    let weight = deviation[column] > 1e-9 ? standardised[base + column] / deviation[column] : 0
                    raw.append(Float(weight))
                    bias -= weight * mean[column]
                }
                raw.append(Float(bias))
            }
            return raw
        }

        /// The largest eigenvalue of ZᵀZ / rows, by power iteration from a fixed start,
        /// raised by a margin since the iteration approaches it from below.
        func largestEigenvalue(iterations: Int = 100) -> Double {
            let stride = width + 1
            var vector = Array(repeating: 1 / Double(stride).squareRoot(), count: stride)
            var eigenvalue = 1.0
            values.withUnsafeBufferPointer { z in
                for _ in 0..<iterations {
                    var next = Array(repeating: 0.0, count: stride)
                    for row in 0..<rows {
                        let base = row * stride
                        var dot = 0.0
                        for column in 0..<stride { dot += z[base + column] * vector[column] }
                        for column in 0..<stride { next[column] += z[base + column] * dot }
                    }
                    let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot() / Double(max(1, rows))
                    eigenvalue = norm
                    guard norm > 0 else { break }
                    vector = next.map { $0 / (norm * Double(max(1, rows))) }
                }
            }
            return eigenvalue * 1.1
        }
    }

    /// The weights (classes × (width + 1), on standardised columns) that minimise the mean
    /// cross-entropy plus half of each column's penalty times its squared weights (biases
    /// not penalised).
    static func minimise(design: Design, targets: [Int], penalties: [Double]) -> [Double] {
        // Böhning's bound: the cross-entropy's Hessian is at most ½ ZᵀZ/n per class.
        let lipschitz = 0.5 * design.largestEigenvalue() + (penalties.max() ?? 0)
        return minimise(count: SentimentHead.classes.count * (design.width + 1), lipschitz: lipschitz) {
            gradient(at: $0, design: design, targets: targets, penalties: penalties)
        }
    }

    /// Accelerated gradient descent (Nesterov, with a gradient restart) from zero on a smooth
    /// convex function of `count` variables whose gradient is `lipschitz`-Lipschitz, until
    /// the gradient's largest component is below ``gradientTolerance`` or
    /// ``maximumIterations`` steps; shared by the encoder head and the word head
    /// (``SentimentWordHeadTrainer``).
    static func minimise(count: Int, lipschitz: Double, gradient: ([Double]) -> [Double]) -> [Double] {
        let step = 1 / lipschitz
        var current = Array(repeating: 0.0, count: count)
        var previous = current
        var momentum = 1.0
        for _ in 0..<maximumIterations {
            let nextMomentum = (1 + (1 + 4 * momentum * momentum).squareRoot()) / 2
            let look = (0..<current.count).map { current[$0] + (momentum - 1) / nextMomentum * (current[$0] - previous[$0]) }
            let gradient = gradient(look)
            let largest = gradient.reduce(0) { max($0, abs($1)) }
            previous = current
            current = (0..<look.count).map { look[$0] - step * gradient[$0] }
            if largest < gradientTolerance { break }
            // Restart the momentum when it points uphill (O'Donoghue and Candès).
            var uphill = 0.0
            for index in current.indices { uphill += gradient[index] * (current[index] - previous[index]) }
            momentum = uphill > 0 ? 1 : nextMomentum
        }
        return current
    }

    static func gradient(at weights: [Double], design: Design, targets: [Int], penalties: [Double]) -> [Double] {
        let classes = SentimentHead.classes.count
        let stride = design.width + 1
        var gradient = Array(repeating: 0.0, count: weights.count)
        let scale = 1 / Double(max(1, design.rows))
        design.values.withUnsafeBufferPointer { z in
            weights.withUnsafeBufferPointer { w in
                gradient.withUnsafeMutableBufferPointer { g in
                    var logits = Array(repeating: 0.0, count: classes)
                    for row in 0..<design.rows {
                        let base = row * stride
                        for k in 0..<classes {
                            var sum = 0.0
                            let weightBase = k * stride
                            for column in 0..<stride { sum += w[weightBase + column] * z[base + column] }
                            logits[k] = sum
                        }
                        let probabilities = SentimentHead.softmax(logits)
                        for k in 0..<classes {
                            let error = (probabilities[k] - (targets[row] == k ? 1 : 0)) * scale
                            let weightBase = k * stride
                            for column in 0..<stride { g[weightBase + column] += error * z[base + column] }
                        }
                    }
                    for k in 0..<classes {
                        for column in 0..<design.width { g[k * stride + column] += penalties[column] * w[k * stride + column] }
                    }
                }
            }
        }
        return gradient
    }
}
