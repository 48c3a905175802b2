import ParleyCore

/// Splits a message into the tokens the lexicon reads: words folded by ``TextAnalyzer``,
/// emoji and emoticons with their valences, and the punctuation that ends clauses and
/// sentences (which `TextAnalyzer.words` drops, but negation, contrast and questions need).
enum SentimentTokenizer {
    /// The most characters of a message that are read: a chat message that says how its
    /// writer feels says it early, and a pasted essay must cost no more than a message.
    static let maxCharacters = 2_000

    /// A letter repeated this many times in a row is an elongation ("graciasss").
    static let elongationRun = 3

    private static let sentenceEnds: Set<Character> = [".", "!", "?", ";", "…", "\n", "¡", "¿"]
    private static let clauseBreaks: Set<Character> = [",", ":", "(", ")", "—", "–", "/"]
    private static let apostrophes: Set<Character> = ["'", "’", "`", "´"]

    static func tokens(_ text: String) -> [SentimentToken] {
        let characters = Array(text.prefix(maxCharacters))
        var tokens: [SentimentToken] = []
        var word: [Character] = []

        func finishWord() {
            guard !word.isEmpty else { return }
            appendWord(String(word), to: &tokens)
            word.removeAll(keepingCapacity: true)
        }

        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isLetter || character.isNumber {
                word.append(character)
                index += 1
                continue
            }
            // An apostrophe inside a word joins it: "don't" is one word, "dont".
            if apostrophes.contains(character), !word.isEmpty, index + 1 < characters.count, characters[index + 1].isLetter {
                index += 1
                continue
            }
            finishWord()
            if let (valence, length) = SentimentLexicon.emoticon(in: characters, at: index) {
                tokens.append(SentimentToken(kind: .symbol(valence)))
                index += length
                continue
            }
            if let valence = SentimentLexicon.emojiValence(character) {
                tokens.append(SentimentToken(kind: .symbol(valence)))
            } else if sentenceEnds.contains(character) {
                let mark: SentimentToken.SentenceMark =
                    switch character {
                    case "?": .question
                    case "!": .exclamation
                    default: .plain
                    }
                tokens.append(SentimentToken(kind: .sentenceEnd(mark)))
            } else if clauseBreaks.contains(character) || (character == "-" && !word.isEmpty) {
                tokens.append(SentimentToken(kind: .clauseBreak))
            }
            index += 1
        }
        finishWord()
        return tokens
    }

    /// Appends the folded words of one run of letters (usually one word; `TextAnalyzer` may
    /// split a run that mixes scripts), marking shouting and elongation.
    private static func appendWord(_ raw: String, to tokens: inout [SentimentToken]) {
        let letters = raw.filter(\.isLetter)
        let isShouted = letters.count >= 3 && letters.allSatisfy(\.isUppercase)
        for folded in TextAnalyzer.words(raw) {
            let squeezed = squeezeRuns(folded, keeping: 1)
            var token = SentimentToken(kind: .word(squeezed.word), isShouted: isShouted, isElongated: squeezed.wasElongated)
            if squeezed.wasElongated { token.alternative = squeezeRuns(folded, keeping: 2).word }
            tokens.append(token)
        }
    }

    /// The word with every run of `elongationRun` or more equal letters cut to `keeping`
    /// letters ("graciasss" → "gracias", "noooo" → "no" with one; "goooood" → "good" with
    /// two), and whether there was such a run. Runs of two are left alone ("llevo", "cool").
    static func squeezeRuns(_ word: String, keeping: Int) -> (word: String, wasElongated: Bool) {
        var result: [Character] = []
        var wasElongated = false
        var runCharacter: Character?
        var runLength = 0
        func flush() {
            guard let character = runCharacter else { return }
            if runLength >= elongationRun {
                wasElongated = true
                result.append(contentsOf: repeatElement(character, count: keeping))
            } else {
                result.append(contentsOf: repeatElement(character, count: runLength))
            }
        }
        for character in word {
            if character == runCharacter, character.isLetter {
                runLength += 1
            } else {
                flush()
                runCharacter = character
                runLength = 1
            }
        }
        flush()
        return (wasElongated ? String(result) : word, wasElongated)
    }
}
