import Foundation

/// The vectors of `OutOfScopeIntents.phrases` for one matcher's encoder, made on the
/// first match that needs them (about 30 encoder passes, once) rather than when the
/// matcher is made. Shared by the copies of a `FAQMatcher`; an `NSLock` guards them.
final class OutOfScopeVectors: @unchecked Sendable {
    private let lock = NSLock()
    private var vectors: [[Float]]?

    func vectors(_ embedder: any SentenceEmbedder) -> [[Float]] {
        if let vectors = lock.withLock({ vectors }) { return vectors }
        let made = OutOfScopeIntents.phrases.map { embedder.embed($0) }
        lock.withLock { vectors = made }
        return made
    }
}
