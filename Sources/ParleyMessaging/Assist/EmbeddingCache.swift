import ParleyAssist
import Synchronization

/// Sentence vectors of texts suggestions score again and again (templates, earlier
/// replies), so a suggestion request embeds only what it has not seen.
///
/// Concurrency: a `Mutex` around a dictionary; embedding happens outside it.
public final class EmbeddingCache: Sendable {
    /// Texts remembered at most (about 2 KiB each with the 512-dimension encoder): past
    /// it the cache starts over, which costs one embedding per text, never a wrong vector.
    public static let capacity = 4_096

    private let vectors = Mutex<[String: [Float]]>([:])

    public init() {}

    /// The vectors of `texts`, in order; empty without an embedder.
    func vectors(for texts: [String], embedder: (any SentenceEmbedder)?) -> [[Float]] {
        guard let embedder else { return [] }
        return texts.map { text in
            let key = embedder.modelName + "\u{0}" + text
            if let known = vectors.withLock({ $0[key] }) { return known }
            let vector = embedder.embed(text)
            vectors.withLock { vectors in
                if vectors.count >= Self.capacity { vectors.removeAll(keepingCapacity: true) }
                vectors[key] = vector
            }
            return vector
        }
    }
}
