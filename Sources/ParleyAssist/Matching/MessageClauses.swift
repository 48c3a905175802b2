import Foundation

/// The parts of a buyer's message that are matched on their own, for messages that ask
/// several things at once ("¿Cuánto tarda? ¿Y hacéis envíos a Francia?"): the whole
/// message first, then each sentence when there is more than one.
enum MessageClauses {
    /// The most parts matched for one message (the whole and three sentences): each costs
    /// one encoder pass, and matching must stay within its latency budget.
    static let maxParts = 4
    /// The most characters of a message that are matched; buyers' questions are short,
    /// and a pasted essay must not cost more than a question.
    static let maxCharacters = 1_000

    /// Sentence ends, including the Spanish opening marks that start a new question.
    private static let separators: Set<Character> = [".", "?", "!", ";", "¿", "¡", "\n", "…"]

    static func parts(of text: String) -> [String] {
        let message = String(text.prefix(maxCharacters))
        var sentences: [String] = []
        var current = ""
        for character in message {
            if separators.contains(character) {
                appendSentence(current, to: &sentences)
                current = ""
            } else {
                current.append(character)
            }
        }
        appendSentence(current, to: &sentences)
        let whole = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard sentences.count > 1 else { return [whole] }
        return [whole] + sentences.prefix(maxParts - 1)
    }

    /// Keeps a sentence that has a word that counts for matching; greetings alone do not.
    private static func appendSentence(_ sentence: String, to sentences: inout [String]) {
        let trimmed = sentence.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !AnalyzedText(trimmed).words.isEmpty else { return }
        sentences.append(trimmed)
    }
}
