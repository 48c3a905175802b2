/// A search over messages, as one caller may see them.
public struct SearchQuery: Sendable, Equatable {
    public var viewerID: String
    /// Whether the viewer sees every conversation (support and service).
    public var viewerSeesEverything: Bool
    /// Every term must match (one of its alternatives); see `TextAnalyzer.queryTerms`.
    public var terms: [QueryTerm]
    public var conversationID: String?
    public var senderID: String?
    public var from: Timestamp?
    public var to: Timestamp?
    public var limit: Int
    /// Results already returned by earlier pages.
    public var offset: Int

    public init(
        viewerID: String, viewerSeesEverything: Bool, terms: [QueryTerm], conversationID: String? = nil,
        senderID: String? = nil, from: Timestamp? = nil, to: Timestamp? = nil, limit: Int = Limits.defaultSearchPageSize,
        offset: Int = 0
    ) {
        self.viewerID = viewerID
        self.viewerSeesEverything = viewerSeesEverything
        self.terms = terms
        self.conversationID = conversationID
        self.senderID = senderID
        self.from = from
        self.to = to
        self.limit = limit
        self.offset = offset
    }
}

/// One page of search results, best first.
public struct SearchPage: Sendable {
    public var messages: [Message]
    /// Whether more results follow this page.
    public var hasMore: Bool

    public init(messages: [Message], hasMore: Bool) {
        self.messages = messages
        self.hasMore = hasMore
    }
}

/// A page position in search results, opaque to clients.
public struct SearchCursor: Sendable, Hashable {
    /// Deep pages cost more than they are worth; past this, refine the query.
    public static let maxOffset = 10_000

    public var offset: Int

    public init(offset: Int) { self.offset = offset }

    public var token: String { "s" + String(offset, radix: 36) }

    public init?(token: String) {
        guard token.first == "s", token.count <= 8, let offset = Int(token.dropFirst(), radix: 36), offset >= 0,
            offset <= Self.maxOffset
        else { return nil }
        self.offset = offset
    }
}

/// A short excerpt of a message around its first match, with the matching words
/// wrapped in `<mark>` and everything else HTML-escaped, so a page can show it as is.
public enum SearchSnippet {
    /// Words of context on each side of the first match.
    static let contextWords = 8

    public static func make(content: String, terms: [QueryTerm]) -> String {
        let pieces = split(content)
        let matches = pieces.indices.filter { index in pieces[index].isWord && matchesAny(pieces[index].text, terms) }
        let words = pieces.indices.filter { pieces[$0].isWord }
        guard let first = matches.first, let firstWordPosition = words.firstIndex(of: first) else {
            return escape(String(content.prefix(160))) + (content.count > 160 ? "…" : "")
        }
        let startWord = max(0, firstWordPosition - contextWords)
        let endWord = min(words.count - 1, firstWordPosition + contextWords * 2)
        let startPiece = startWord == 0 ? 0 : words[startWord]
        let endPiece = endWord == words.count - 1 ? pieces.count - 1 : words[endWord]
        let matched = Set(matches)
        var snippet = startPiece > 0 ? "…" : ""
        for index in startPiece...endPiece {
            let text = escape(pieces[index].text)
            snippet += matched.contains(index) ? "<mark>\(text)</mark>" : text
        }
        if endPiece < pieces.count - 1 { snippet += "…" }
        return snippet
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

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
