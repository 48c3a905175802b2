import Foundation

/// Analysed FAQ texts and lexical indexes kept between matches, so that matching a message
/// against a seller's FAQ folds and stems only the message, not every entry again, and
/// reuses the FAQ's BM25 statistics until an entry changes. Shared by the copies of one
/// `FAQMatcher`; an `NSLock` guards both dictionaries (held only to read or write them,
/// never while analysing).
final class AnalysisCache: @unchecked Sendable {
    /// The most texts kept: about 200 sellers' FAQs of 200 entries with a question, three
    /// alternatives and an answer each. When full, the cache starts over; texts come back
    /// on their next match.
    static let textCapacity = 200_000
    /// The most FAQs (sets of entries) whose index is kept; one per seller that buyers are
    /// writing to at the moment, roughly. When full, the cache starts over.
    static let indexCapacity = 1_000
    /// The most bytes of text kept, over the texts and over the indexes' keys: counts
    /// alone would let a seller who keeps rewriting a full FAQ (300 entries of up to
    /// 25 KB) fill memory with versions. Past it the cache starts over.
    static let byteCapacity = 32 << 20

    private let lock = NSLock()
    private var texts: [String: AnalyzedText] = [:]
    private var textBytes = 0
    private var indexes: [[String]: LexicalScorer] = [:]
    private var indexBytes = 0

    func analyzed(_ text: String) -> AnalyzedText {
        if let cached = lock.withLock({ texts[text] }) { return cached }
        let analyzed = AnalyzedText(text)
        lock.withLock {
            if texts.count >= Self.textCapacity || textBytes + text.utf8.count > Self.byteCapacity {
                texts.removeAll(keepingCapacity: true)
                textBytes = 0
            }
            texts[text] = analyzed
            textBytes += text.utf8.count
        }
        return analyzed
    }

    /// The lexical index of these documents' texts, built on first use.
    func lexicalScorer(for documents: [FAQDocument]) -> LexicalScorer {
        var key: [String] = []
        for document in documents {
            key.append(String(document.alternatives.count))
            key.append(document.question)
            key.append(contentsOf: document.alternatives)
            key.append(document.answer)
        }
        if let cached = lock.withLock({ indexes[key] }) { return cached }
        let scorer = LexicalScorer(
            entries: documents.map { document in
                LexicalScorer.Entry(
                    questions: ([document.question] + document.alternatives).map { analyzed($0) }, answer: analyzed(document.answer))
            })
        let keyBytes = key.reduce(0) { $0 + $1.utf8.count }
        lock.withLock {
            if indexes.count >= Self.indexCapacity || indexBytes + keyBytes > Self.byteCapacity {
                indexes.removeAll(keepingCapacity: true)
                indexBytes = 0
            }
            indexes[key] = scorer
            indexBytes += keyBytes
        }
        return scorer
    }
}
