import ParleyCore

/// Counts of actual against predicted sentiment labels, and the measures the evaluation
/// reports from them.
public struct SentimentConfusion: Sendable, Equatable {
    /// `counts[actual][predicted]`, both in ``SentimentHead/classes`` order.
    public var counts = Array(repeating: Array(repeating: 0, count: 3), count: 3)

    public init() {}

    public mutating func add(actual: SentimentLabel, predicted: SentimentLabel) {
        counts[Self.index(actual)][Self.index(predicted)] += 1
    }

    public var total: Int { counts.joined().reduce(0, +) }

    public var accuracy: Double {
        total == 0 ? 0 : Double((0..<3).reduce(0) { $0 + counts[$1][$1] }) / Double(total)
    }

    public func recall(_ label: SentimentLabel) -> Double {
        let row = counts[Self.index(label)]
        let actual = row.reduce(0, +)
        return actual == 0 ? 0 : Double(row[Self.index(label)]) / Double(actual)
    }

    public func precision(_ label: SentimentLabel) -> Double {
        let column = Self.index(label)
        let predicted = counts.reduce(0) { $0 + $1[column] }
        return predicted == 0 ? 0 : Double(counts[column][column]) / Double(predicted)
    }

    public func f1(_ label: SentimentLabel) -> Double {
        let precision = precision(label)
        let recall = recall(label)
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }

    /// The unweighted mean of the three classes' F1.
    public var macroF1: Double { SentimentHead.classes.map(f1).reduce(0, +) / 3 }

    private static func index(_ label: SentimentLabel) -> Int { SentimentHead.classes.firstIndex(of: label)! }
}
