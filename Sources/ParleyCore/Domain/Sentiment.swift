/// How a buyer's or seller's `text` message reads (`sentiment` on the wire): shown to
/// support, service and the seller participants, never to its author.
public struct Sentiment: Sendable, Hashable, Codable {
    public var label: SentimentLabel
    /// From -1 (as negative as it gets) to 1 (as positive).
    public var score: Double

    public init(label: SentimentLabel, score: Double) {
        self.label = label
        self.score = score
    }
}

/// The contract's three sentiment labels.
public enum SentimentLabel: String, Sendable, Codable, CaseIterable {
    case negative
    case neutral
    case positive
}
