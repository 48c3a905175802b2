import Foundation

/// One frequent question and its answer: a seller's own (`seller`) or the marketplace's
/// (`global`, managed by support and service).
public struct FAQEntry: Sendable, Hashable {
    public var faqID: String
    public var scope: FAQScope
    /// The seller a `seller` entry belongs to; `nil` for a `global` one.
    public var ownerID: String?
    /// `es` or `en` when given.
    public var language: String?
    public var question: String
    public var alternatives: [String]
    public var answer: String
    public var enabled: Bool
    public var stats: FAQStats
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// The sentence vectors of the question and alternatives, computed when the entry was
    /// saved (`EmbeddingCodec` bytes), and the model that computed them; `nil` when the
    /// server ran without the model.
    public var vectors: FAQVectors?

    public init(
        faqID: String, scope: FAQScope, ownerID: String?, language: String?, question: String, alternatives: [String],
        answer: String, enabled: Bool, stats: FAQStats = FAQStats(), createdAt: Timestamp, updatedAt: Timestamp,
        vectors: FAQVectors? = nil
    ) {
        self.faqID = faqID
        self.scope = scope
        self.ownerID = ownerID
        self.language = language
        self.question = question
        self.alternatives = alternatives
        self.answer = answer
        self.enabled = enabled
        self.stats = stats
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.vectors = vectors
    }
}

/// Sentence vectors stored with an FAQ entry.
public struct FAQVectors: Sendable, Hashable {
    /// The model's name (`SentenceEmbedder.modelName`): vectors of another model are recomputed.
    public var model: String
    /// Little-endian float32 vectors, one after the other.
    public var data: Data

    public init(model: String, data: Data) {
        self.model = model
        self.data = data
    }
}

/// Whose an FAQ entry is.
public enum FAQScope: String, Sendable, Codable, CaseIterable {
    case seller
    case global
}

/// How an entry has done: automatic answers given, and the buyers' verdicts on them.
public struct FAQStats: Sendable, Hashable, Codable {
    public var answered: Int
    public var helpful: Int
    public var unhelpful: Int

    public init(answered: Int = 0, helpful: Int = 0, unhelpful: Int = 0) {
        self.answered = answered
        self.helpful = helpful
        self.unhelpful = unhelpful
    }
}
