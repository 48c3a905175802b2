// libFuzzer target: the search query parser (`TextAnalyzer.queryTerms`, folding and word
// splitting), the search cursor, and the snippet built from a message and those terms.
// The input is a query, then optionally a NUL byte and a message's content.
import ParleyCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSearchQuery(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = UnsafeBufferPointer(start: bytes, count: count)
    let split = input.firstIndex(of: 0) ?? input.endIndex
    // Query parameters reach the server as valid UTF-8 (invalid bytes are replaced).
    let query = String(decoding: input[..<split], as: UTF8.self)
    let content = split < input.endIndex ? String(decoding: input[(split + 1)...], as: UTF8.self) : query

    let terms = TextAnalyzer.queryTerms(query.trimmingWhitespace())
    precondition(terms.count <= TextAnalyzer.maxQueryWords, "more terms than words looked at")
    for term in terms {
        precondition(!term.alternatives.isEmpty, "a term without alternatives")
        precondition(!term.isPrefix || term.alternatives.count == 1, "a prefix term with several alternatives")
        for alternative in term.alternatives {
            precondition(!alternative.isEmpty, "an empty alternative")
            precondition(alternative.unicodeScalars.count <= TextAnalyzer.maxWordLength, "an alternative longer than a word")
        }
    }
    // What a message is indexed under is bounded the same way (PostgreSQL lexemes < 2 KiB).
    for term in TextAnalyzer.indexTerms(content) {
        precondition(!term.isEmpty && term.unicodeScalars.count <= TextAnalyzer.maxWordLength, "index term out of bounds")
    }
    _ = SearchSnippet.make(content: content, terms: terms)

    if let cursor = SearchCursor(token: query) {
        precondition((0...SearchCursor.maxOffset).contains(cursor.offset), "search cursor offset out of range")
        precondition(SearchCursor(token: cursor.token) == cursor, "search cursor does not survive a round trip")
    }
    return 0
}
