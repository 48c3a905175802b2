// Full Foundation for `decomposedStringWithCompatibilityMapping` (Unicode NFKD), which
// neither the standard library nor FoundationEssentials offers.
import Foundation

/// One word of a search query, as the store matches it: a message matches the term when
/// one of the alternatives is among the message's index terms or, for a prefix term, when
/// one of its index terms starts with the single alternative. A message matches a query
/// when it matches every term.
public struct QueryTerm: Sendable, Equatable {
    /// Index terms any one of which satisfies this term: the folded word and its Spanish
    /// and English stems, without repeats; for a prefix term, only the folded prefix.
    public var alternatives: [String]
    /// Whether the query wrote the word with a trailing `*`, asking for index terms that
    /// start with it.
    public var isPrefix: Bool

    public init(alternatives: [String], isPrefix: Bool) {
        self.alternatives = alternatives
        self.isPrefix = isPrefix
    }

    /// Whether a text with these index terms (`TextAnalyzer.indexTerms`) matches this term,
    /// by the rule above; for texts searched in memory rather than by a store.
    public func isMatched(byIndexTerms terms: Set<String>) -> Bool {
        isPrefix
            ? alternatives.contains { alternative in terms.contains { $0.hasPrefix(alternative) } }
            : alternatives.contains { terms.contains($0) }
    }
}
