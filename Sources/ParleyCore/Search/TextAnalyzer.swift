/// Turns message text into the terms message search indexes, and a search query into the
/// terms it looks up, so that the two meet: both are folded (lowercase, no accents), split
/// into words the same way, and stemmed for Spanish and for English, so `envío` finds
/// `enviados` and `shipped` finds `shipping`.
public enum TextAnalyzer {
    /// The longest word kept, in characters; longer runs of letters are cut to this.
    public static let maxWordLength = 64
    /// The most words of a query that are looked at; later words are ignored.
    public static let maxQueryWords = 32

    /// Lowercase, without accents or other diacritics, and with compatibility forms
    /// (full-width letters, ligatures, circled digits) replaced by their plain letters:
    /// `Envío` → `envio`, `ÑANDÚ` → `nandu`, `Ｐｅｄｉｄｏ` → `pedido`.
    ///
    /// The text is decomposed (NFKD), lowercased, and the combining diacritical marks are
    /// dropped; the marks that spell letters in other scripts (Devanagari vowel signs,
    /// Thai vowels, kana voicing marks) stay. A few letters that have no decomposition are
    /// spelled out: ß → ss, æ → ae, œ → oe, ø → o, ł → l, đ and ð → d, þ → th, ı → i,
    /// final ς → σ.
    public static func fold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        var folded = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            if isDiacritic(scalar) { continue }
            if let spelled = spelledOutLetters[scalar] {
                folded.append(contentsOf: spelled.unicodeScalars)
            } else {
                folded.append(scalar)
            }
        }
        return String(folded)
    }

    /// The folded words of `text`: maximal runs of letters and digits, each cut to
    /// `maxWordLength` characters. Everything else (spaces, punctuation, symbols, emoji)
    /// separates words and is dropped: `¿Cuándo llega el envío?🙂` → `cuando`, `llega`,
    /// `el`, `envio`; `e-mail` → `e`, `mail`; `pedido#1234` → `pedido`, `1234`.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        forEachWord(inFolded: fold(text)) { word, _ in
            words.append(word)
            return true
        }
        return words
    }

    /// Whether a folded word is too common in Spanish or English to be worth indexing or
    /// searching for (`el`, `de`, `que`, `the`, `of`, ...). Question words such as
    /// `cuando`, `donde`, `como`, `when` and `where` are not stop words.
    public static func isStopWord(_ folded: String) -> Bool {
        stopWords.contains(folded)
    }

    /// The terms to index a message's text under: for every word that is not a stop word,
    /// the folded word, its Spanish stem and its English stem, without repeats, in order of
    /// first appearance.
    public static func indexTerms(_ text: String) -> [String] {
        var seenWords = Set<String>()
        var seenTerms = Set<String>()
        var terms: [String] = []
        forEachWord(inFolded: fold(text)) { word, _ in
            // A word seen before adds nothing new, so it is not stemmed again.
            guard !isStopWord(word), seenWords.insert(word).inserted else { return true }
            for term in wordForms(word) where seenTerms.insert(term).inserted {
                terms.append(term)
            }
            return true
        }
        return terms
    }

    /// The terms of a search query, one per word that is not a stop word, in query order
    /// and without repeats. A word written with a trailing `*` (`envi*`) is a prefix term
    /// whose one alternative is the folded word, unstemmed; a prefix term is kept even when
    /// the word is a stop word. Only the first `maxQueryWords` words count. A query of
    /// nothing but stop words gives no terms.
    public static func queryTerms(_ query: String) -> [QueryTerm] {
        var terms: [QueryTerm] = []
        var wordCount = 0
        forEachWord(inFolded: fold(query)) { word, isPrefix in
            wordCount += 1
            let term: QueryTerm? =
                if isPrefix {
                    QueryTerm(alternatives: [word], isPrefix: true)
                } else if isStopWord(word) {
                    nil
                } else {
                    QueryTerm(alternatives: wordForms(word), isPrefix: false)
                }
            if let term, !terms.contains(term) { terms.append(term) }
            return wordCount < maxQueryWords
        }
        return terms
    }

    // MARK: - Words

    /// How a scalar of folded text takes part in words.
    private enum ScalarRole {
        /// A letter or digit: starts or continues a word.
        case wordCharacter
        /// A combining mark left after folding: continues a word, never starts one.
        case mark
        /// Anything else: ends the current word.
        case separator
    }

    private static func role(of scalar: Unicode.Scalar) -> ScalarRole {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            .wordCharacter
        case .nonspacingMark, .spacingMark, .enclosingMark:
            .mark
        default:
            .separator
        }
    }

    /// Calls `body` with each word of already folded text, cut to `maxWordLength`, and
    /// whether a `*` immediately follows it, until `body` returns false.
    private static func forEachWord(inFolded text: String, _ body: (_ word: String, _ isPrefix: Bool) -> Bool) {
        var current: [Unicode.Scalar] = []
        func finishWord(followedBy next: Unicode.Scalar?) -> Bool {
            // Cut by scalars, not characters: one character can carry thousands of
            // combining marks, and index terms must stay short (PostgreSQL lexemes < 2 KiB).
            let word = String(scalars: current.count > maxWordLength ? Array(current.prefix(maxWordLength)) : current)
            current.removeAll(keepingCapacity: true)
            return body(word, next == "*")
        }
        for scalar in text.unicodeScalars {
            switch role(of: scalar) {
            case .wordCharacter:
                current.append(scalar)
            case .mark:
                if !current.isEmpty { current.append(scalar) }
            case .separator:
                if !current.isEmpty, !finishWord(followedBy: scalar) { return }
            }
        }
        if !current.isEmpty { _ = finishWord(followedBy: nil) }
    }

    /// The folded word and its Spanish and English stems, without repeats. Words without
    /// a letter (numbers) are not stemmed.
    private static func wordForms(_ word: String) -> [String] {
        guard word.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else { return [word] }
        var forms = [word]
        for stem in [SpanishStemmer.stem(word), EnglishStemmer.stem(word)] where !stem.isEmpty {
            if !forms.contains(stem) { forms.append(stem) }
        }
        return forms
    }

    // MARK: - Folding

    /// Combining marks that are diacritics on Latin, Greek and Cyrillic letters (accents,
    /// tilde, diaeresis, cedilla, ...) and the emoji variation selectors.
    private static func isDiacritic(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0300...0x036F,  // Combining Diacritical Marks
            0x1AB0...0x1AFF,  // Combining Diacritical Marks Extended
            0x1DC0...0x1DFF,  // Combining Diacritical Marks Supplement
            0x20D0...0x20FF,  // Combining Diacritical Marks for Symbols (keycaps, circles)
            0xFE20...0xFE2F,  // Combining Half Marks
            0xFE00...0xFE0F,  // Variation Selectors
            0xE0100...0xE01EF:  // Variation Selectors Supplement
            true
        default:
            false
        }
    }

    /// Lowercase letters without a decomposition, and how folded text spells them.
    private static let spelledOutLetters: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h",
        "ŧ": "t", "ς": "σ",
    ]

    // MARK: - Stop words

    /// 150 common Spanish and English words, folded. Left out on purpose: question words
    /// (cuando, donde, como, when, where, how), and words that are stop words in one
    /// language but content words in the other (`son`, `era`).
    private static let stopWords: Set<String> = [
        // Spanish
        "a", "al", "algo", "ante", "aqui", "asi", "con", "contra", "de", "del", "desde", "e", "el", "ella",
        "ellas", "ellos", "en", "entre", "es", "esa", "esas", "ese", "eso", "esos", "esta", "estan", "estas",
        "este", "esto", "estos", "estoy", "fue", "fueron", "ha", "han", "has", "hasta", "hay", "he", "la", "las",
        "le", "les", "lo", "los", "mas", "me", "mi", "mis", "muy", "ni", "no", "nos", "nosotros", "o", "os",
        "para", "pero", "por", "porque", "que", "se", "sea", "ser", "si", "sin", "sobre", "soy", "su", "sus",
        "tambien", "te", "tu", "tus", "u", "un", "una", "unas", "uno", "unos", "usted", "ustedes", "y", "ya",
        "yo",
        // English
        "about", "am", "an", "and", "are", "as", "at", "be", "been", "being", "but", "by", "can", "could", "did",
        "do", "does", "for", "from", "had", "have", "her", "him", "his", "i", "if", "in", "into", "is", "it",
        "its", "just", "my", "not", "of", "on", "or", "our", "she", "so", "than", "that", "the", "their", "them",
        "then", "there", "these", "they", "this", "those", "to", "too", "us", "very", "was", "we", "were", "will",
        "with", "would", "you", "your",
        // What is left of English contractions once the apostrophe splits them (it's, don't).
        "s", "t",
    ]
}
