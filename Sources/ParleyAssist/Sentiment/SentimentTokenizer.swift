import ParleyCore

/// Splits a message into the tokens the lexicon reads: words folded by ``TextAnalyzer``,
/// emoji and emoticons with their valences, and the punctuation that ends clauses and
/// sentences (which `TextAnalyzer.words` drops, but negation, contrast and questions need).
enum SentimentTokenizer {
    /// The most characters of a message that are read: a chat message that says how its
    /// writer feels says it early, and a pasted essay must cost no more than a message.
    static let maxCharacters = 1_000

    /// A letter repeated this many times in a row is an elongation ("graciasss").
    static let elongationRun = 3

    private static let sentenceEnds: Set<Character> = [".", "!", "?", ";", "…", "\n", "¡", "¿"]
    private static let clauseBreaks: Set<Character> = [",", ":", "(", ")", "—", "–", "/"]
    private static let apostrophes: Set<Character> = ["'", "’", "`", "´"]

    static func tokens(_ text: String) -> [SentimentToken] {
        let characters = Array(text.prefix(maxCharacters))
        var tokens: [SentimentToken] = []
        var word: [Character] = []
        // Folding goes character by character: Foundation's decomposition of a whole message
        // costs more than everything else here, and a message repeats few accented letters.
        var foldedLetters: [Character: String] = [:]

        func finishWord() {
            guard !word.isEmpty else { return }
            var folded = ""
            for character in word {
                if let ascii = character.asciiValue {
                    // Letters, digits and joined apostrophes only: upper case is 0x41-0x5A.
                    folded.unicodeScalars.append(Unicode.Scalar(ascii >= 0x41 && ascii <= 0x5A ? ascii | 0x20 : ascii))
                } else if let known = foldedLetters[character] {
                    folded.append(contentsOf: known)
                } else {
                    let known = TextAnalyzer.fold(String(character))
                    foldedLetters[character] = known
                    folded.append(contentsOf: known)
                }
            }
            let isShouted = word.count >= 3 && word.allSatisfy { isUppercase($0) || isDigit($0) } && word.contains(where: isUppercase)
            word.removeAll(keepingCapacity: true)
            guard !folded.isEmpty else { return }
            let squeezed = squeezeRuns(folded, keeping: 1)
            var token = SentimentToken(kind: .word(squeezed.word), isShouted: isShouted, isElongated: squeezed.wasElongated)
            if squeezed.wasElongated { token.alternative = squeezeRuns(folded, keeping: 2).word }
            tokens.append(token)
        }

        var index = 0
        while index < characters.count {
            let character = characters[index]
            if isWordCharacter(character) {
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
            if SentimentLexicon.emoticonStarts.contains(character),
                let (valence, length) = SentimentLexicon.emoticon(in: characters, at: index)
            {
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
                    case "¿", "¡": .opening
                    default: .plain
                    }
                tokens.append(SentimentToken(kind: .sentenceEnd(mark)))
            } else if clauseBreaks.contains(character) || (character == "-" && index > 0 && characters[index - 1].isWhitespace) {
                tokens.append(SentimentToken(kind: .clauseBreak))
            }
            index += 1
        }
        finishWord()
        return tokens
    }

    /// A letter or digit; ASCII is answered without Unicode's property tables, which cost
    /// more than the rest of the tokenizer.
    private static func isWordCharacter(_ character: Character) -> Bool {
        if let ascii = character.asciiValue {
            return (ascii >= 0x61 && ascii <= 0x7A) || (ascii >= 0x41 && ascii <= 0x5A) || (ascii >= 0x30 && ascii <= 0x39)
        }
        return character.isLetter || character.isNumber
    }

    /// ``Character/isUppercase`` with ASCII answered without Unicode's property tables.
    private static func isUppercase(_ character: Character) -> Bool {
        if let ascii = character.asciiValue { return ascii >= 0x41 && ascii <= 0x5A }
        return character.isUppercase
    }

    /// ``Character/isNumber`` with ASCII answered without Unicode's property tables.
    private static func isDigit(_ character: Character) -> Bool {
        if let ascii = character.asciiValue { return ascii >= 0x30 && ascii <= 0x39 }
        return character.isNumber
    }

    /// ``Character/isLetter`` with ASCII answered without Unicode's property tables.
    private static func isLetter(_ character: Character) -> Bool {
        if let ascii = character.asciiValue { return (ascii >= 0x61 && ascii <= 0x7A) || (ascii >= 0x41 && ascii <= 0x5A) }
        return character.isLetter
    }

    /// Whether `word` may have a run of `elongationRun` equal letters: exact for ASCII
    /// (digits do not count), true for anything else (the character walk decides).
    private static func hasLetterRun(_ word: String) -> Bool {
        var previous: UInt8 = 0
        var run = 0
        for byte in word.utf8 {
            if byte >= 0x80 { return true }
            let isLetter = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
            if isLetter && byte == previous {
                run += 1
                if run >= elongationRun { return true }
            } else {
                run = 1
            }
            previous = byte
        }
        return false
    }

    /// The folded words of `text`, as ``tokens(_:)`` reads them.
    static func words(_ text: String) -> [String] {
        words(tokens(text))
    }

    /// The words among `tokens`, in order.
    static func words(_ tokens: [SentimentToken]) -> [String] {
        tokens.compactMap { token in
            if case .word(let word) = token.kind { return word }
            return nil
        }
    }

    /// The word with every run of `elongationRun` or more equal letters cut to `keeping`
    /// letters ("graciasss" → "gracias", "noooo" → "no" with one; "goooood" → "good" with
    /// two), and whether there was such a run. Runs of two are left alone ("llevo", "cool").
    static func squeezeRuns(_ word: String, keeping: Int) -> (word: String, wasElongated: Bool) {
        // Most words have no run: answered from the bytes when they are ASCII letters and
        // digits, without collecting characters.
        if !hasLetterRun(word) { return (word, false) }
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
            if character == runCharacter, isLetter(character) {
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
