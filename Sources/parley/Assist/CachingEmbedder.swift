import Foundation
import ParleyAssist

/// An embedder that remembers the vectors it has made, so that an evaluation scoring the
/// same messages under many calibrations runs the encoder once per text. Only for the
/// evaluation command: it grows without bound. An `NSLock` guards the dictionary.
final class CachingEmbedder: SentenceEmbedder, @unchecked Sendable {
    let base: any SentenceEmbedder
    private let lock = NSLock()
    private var vectors: [String: [Float]] = [:]

    init(_ base: any SentenceEmbedder) {
        self.base = base
    }

    var dimension: Int { base.dimension }
    var modelName: String { base.modelName }

    func embed(_ text: String) -> [Float] {
        if let cached = lock.withLock({ vectors[text] }) { return cached }
        let vector = base.embed(text)
        lock.withLock { vectors[text] = vector }
        return vector
    }
}
