/// A short excerpt of a message around its first match, as plain text, with the
/// matching words as ranges: each client renders the marks its own way (the browser
/// with text nodes and `<mark>` elements), and no client has to parse markup.
public struct SearchSnippet: Sendable, Equatable {
    /// Words of context on each side of the first match.
    static let contextWords = 8
    /// Characters shown of a message none of whose words matched (the match was in a
    /// form the snippet's word test does not see).
    static let unmatchedPrefixCharacters = 160

    /// The excerpt: message text, `…` where it was cut.
    public var text: String
    /// The matched words within `text`.
    public var highlights: [SearchHighlight]

    public init(text: String, highlights: [SearchHighlight]) {
        self.text = text
        self.highlights = highlights
    }

    public static func make(content: String, terms: [QueryTerm]) -> SearchSnippet {
        let pieces = split(content)
        let matches = pieces.indices.filter { index in pieces[index].isWord && matchesAny(pieces[index].text, terms) }
        let words = pieces.indices.filter { pieces[$0].isWord }
        guard let first = matches.first, let firstWordPosition = words.firstIndex(of: first) else {
            let cut = content.count > unmatchedPrefixCharacters
            return SearchSnippet(text: String(content.prefix(unmatchedPrefixCharacters)) + (cut ? "…" : ""), highlights: [])
        }
        let startWord = max(0, firstWordPosition - contextWords)
        let endWord = min(words.count - 1, firstWordPosition + contextWords * 2)
        let startPiece = startWord == 0 ? 0 : words[startWord]
        let endPiece = endWord == words.count - 1 ? pieces.count - 1 : words[endWord]
        let matched = Set(matches)
        var text = startPiece > 0 ? "…" : ""
        var highlights: [SearchHighlight] = []
        for index in startPiece...endPiece {
            let piece = pieces[index].text
            if matched.contains(index) {
                highlights.append(SearchHighlight(start: text.utf16.count, length: piece.utf16.count))
            }
            text += piece
        }
        if endPiece < pieces.count - 1 { text += "…" }
        return SearchSnippet(text: text, highlights: highlights)
    }

    private struct Piece {
        var text: String
        var isWord: Bool
    }

    /// The content as alternating words and separators, nothing lost.
    private static func split(_ content: String) -> [Piece] {
        var pieces: [Piece] = []
        var current = ""
        var currentIsWord = false
        for character in content {
            let isWord = character.isLetter || character.isNumber
            if !current.isEmpty && isWord != currentIsWord {
                pieces.append(Piece(text: current, isWord: currentIsWord))
                current = ""
            }
            current.append(character)
            currentIsWord = isWord
        }
        if !current.isEmpty { pieces.append(Piece(text: current, isWord: currentIsWord)) }
        return pieces
    }

    private static func matchesAny(_ word: String, _ terms: [QueryTerm]) -> Bool {
        guard let folded = TextAnalyzer.words(word).first else { return false }
        let forms = Set(TextAnalyzer.indexTerms(word) + [folded])
        return terms.contains { term in
            term.isPrefix
                ? term.alternatives.contains { folded.hasPrefix($0) }
                : term.alternatives.contains { forms.contains($0) }
        }
    }
}
