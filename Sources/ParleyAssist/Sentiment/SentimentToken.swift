/// One piece of a message as the lexicon reads it: a folded word, an emoji or emoticon
/// with its valence, or a boundary that ends a clause or a sentence.
struct SentimentToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A folded word (accents dropped, lowercase, apostrophes joined: "don't" → "dont",
        /// letter runs of three or more squeezed: "graciasss" → "gracias").
        case word(String)
        /// An emoji or emoticon and its valence.
        case symbol(Double)
        /// A comma, colon, dash or bracket: ends a clause (and negation's scope).
        case clauseBreak
        /// A full stop, `?`, `!`, `;`, `…` or line break: ends a sentence.
        case sentenceEnd(SentenceMark)
    }

    /// How a sentence ended, for the question and exclamation rules.
    enum SentenceMark: Sendable, Hashable {
        case plain
        case question
        case exclamation
        /// "¿" or "¡": ends what came before like a full stop; what it opens ends with its
        /// own mark.
        case opening
    }

    var kind: Kind
    /// The word was written in capitals (three letters or more): shouting.
    var isShouted = false
    /// The word had a letter repeated three times or more ("graciasss", "noooo").
    var isElongated = false
    /// For an elongated word, the word with its runs cut to two letters instead of one
    /// ("goooood" → "good"), looked up when the one-letter form is not a known word.
    var alternative: String?
}
