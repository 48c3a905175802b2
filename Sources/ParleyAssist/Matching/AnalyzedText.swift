import ParleyCore

/// A text as lexical FAQ matching sees it: its content words, folded, and the terms they
/// index under (each word, its Spanish stem and its English stem).
struct AnalyzedText: Sendable {
    /// The content words, folded, in order, repeats kept: neither `TextAnalyzer` stop
    /// words nor courtesy words.
    var words: [String]
    /// How many of `words` have each term among their forms.
    var termCounts: [String: Int]
    /// Each distinct word once, in order of first appearance, with its forms.
    var distinctWords: [(word: String, forms: [String])]

    init(_ text: String) {
        words = TextAnalyzer.words(text).filter { !TextAnalyzer.isStopWord($0) && !Self.courtesyWords.contains($0) }
        termCounts = [:]
        distinctWords = []
        var seen = Set<String>()
        for word in words where seen.insert(word).inserted {
            distinctWords.append((word, Self.forms(of: word)))
        }
        for word in words {
            for term in Self.forms(of: word) { termCounts[term, default: 0] += 1 }
        }
    }

    /// How many words of the text have one of `forms`.
    func count(ofAnyOf forms: [String]) -> Int {
        var best = 0
        for form in forms { best = max(best, termCounts[form] ?? 0) }
        return best
    }

    /// The terms a folded word indexes under: the word, its Spanish stem, its English stem
    /// and its concepts in the other language (`BilingualGlossary`), without repeats;
    /// numbers are not stemmed.
    static func forms(of word: String) -> [String] {
        guard word.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else { return [word] }
        var forms = [word]
        for stem in [SpanishStemmer.stem(word), EnglishStemmer.stem(word)] where !stem.isEmpty && !forms.contains(stem) {
            forms.append(stem)
        }
        forms.append(contentsOf: BilingualGlossary.concepts(of: word))
        return forms
    }

    /// Greetings, thanks and the "I would like to know" that buyers wrap around any
    /// question, folded: they say nothing about which entry answers it, and counting them
    /// would make every polite question look half unanswered.
    static let courtesyWords: Set<String> = [
        // Spanish
        "hola", "buenas", "buenos", "buen", "dia", "dias", "tardes", "noches", "gracias", "saludos", "porfa", "favor",
        "quiero", "quisiera", "queria", "saber", "pregunta", "preguntar", "duda", "consulta", "ok", "vale", "oye",
        "disculpa", "perdon", "necesito", "podrias", "podrian", "puedes", "pueden", "puedo",
        // English
        "hi", "hello", "hey", "thanks", "thank", "thx", "please", "pls", "want", "wanted", "wanna", "know", "wondering",
        "question", "need", "sorry", "okay",
    ]
}
