import Foundation
import ParleyAssist

/// The FAQ evaluation set of `Evaluation/assist` (its README describes the files): the
/// sellers' and the marketplace's entries, and labelled buyer messages.
struct EvaluationSet {
    struct Entry: Decodable {
        var faqId: String
        var language: String?
        var question: String
        var alternatives: [String]
        var answer: String
    }

    struct Seller: Decodable {
        var sellerId: String
        var entries: [Entry]
    }

    struct FAQFile: Decodable {
        var sellers: [Seller]
        var global: [Entry]
    }

    struct Message: Decodable {
        var id: String
        var sellerId: String
        var text: String
        /// Every entry whose answer is right; empty when none is.
        var expected: [String]
        var language: String
        var kind: String

        var isAnswerable: Bool { !expected.isEmpty }
    }

    var faq: FAQFile
    var messages: [Message]

    init(directory: String, split: String) throws {
        let base = URL(fileURLWithPath: directory)
        faq = try JSONDecoder().decode(FAQFile.self, from: Data(contentsOf: base.appendingPathComponent("faq.json")))
        let lines = try String(contentsOf: base.appendingPathComponent("messages-\(split).jsonl"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }
        messages = try lines.map { try JSONDecoder().decode(Message.self, from: Data($0.utf8)) }
    }

    /// The documents one seller's messages are matched against: its entries, then the
    /// global ones.
    func documents(sellerId: String, matcher: FAQMatcher) -> [FAQDocument] {
        let own = faq.sellers.first { $0.sellerId == sellerId }?.entries ?? []
        return (own + faq.global).map { Self.document($0, matcher: matcher) }
    }

    /// `count` documents for one seller's latency runs: its own and the global entries,
    /// the other sellers' entries, then numbered variants of all of those (a model name
    /// added to every text) until there are enough.
    func paddedDocuments(sellerId: String, count: Int, matcher: FAQMatcher) -> [FAQDocument] {
        let own = faq.sellers.first { $0.sellerId == sellerId }?.entries ?? []
        let others = faq.sellers.filter { $0.sellerId != sellerId }.flatMap(\.entries)
        let base = own + faq.global + others
        var entries = base
        var round = 1
        while entries.count < count {
            for entry in base where entries.count < count {
                let suffix = " (modelo \(Self.variantNames[round % Self.variantNames.count]) \(round))"
                entries.append(
                    Entry(
                        faqId: "\(entry.faqId)-v\(round)", language: entry.language, question: entry.question + suffix,
                        alternatives: entry.alternatives.map { $0 + suffix }, answer: entry.answer + suffix))
            }
            round += 1
        }
        return entries.prefix(count).map { Self.document($0, matcher: matcher) }
    }

    private static let variantNames = ["aurora", "brisa", "cobalto", "duna", "eclipse", "fresno", "granate", "helio"]

    private static func document(_ entry: Entry, matcher: FAQMatcher) -> FAQDocument {
        FAQDocument(
            faqId: entry.faqId, question: entry.question, alternatives: entry.alternatives, answer: entry.answer,
            language: entry.language.flatMap(AssistLanguage.init(rawValue:)),
            vectors: matcher.vectors(question: entry.question, alternatives: entry.alternatives, answer: entry.answer))
    }
}
