import Synchronization

/// An embedder that remembers the vectors it made for the texts it saw last, so texts
/// scored again and again (templates and earlier replies for suggestions, entries saved
/// before the model, every message of an evaluation under many calibrations) are encoded
/// once.
///
/// Concurrency: a `Mutex` around a dictionary; encoding happens outside it.
public final class CachingEmbedder: SentenceEmbedder {
    /// The embedder that does the work.
    public let base: any SentenceEmbedder
    /// Texts remembered at most (about 2 KiB each at 512 dimensions): past it the cache
    /// starts over, which costs one encoding per text, never a wrong vector.
    public let capacity: Int
    private let vectors = Mutex<[String: [Float]]>([:])

    public init(_ base: any SentenceEmbedder, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    public var dimension: Int { base.dimension }
    public var modelName: String { base.modelName }

    public func embed(_ text: String) -> [Float] {
        if let known = vectors.withLock({ $0[text] }) { return known }
        let vector = base.embed(text)
        vectors.withLock { vectors in
            if vectors.count >= capacity { vectors.removeAll(keepingCapacity: true) }
            vectors[text] = vector
        }
        return vector
    }
}
