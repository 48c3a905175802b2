import ParleyCore
import Testing

/// Snippets are plain text with the matched words as UTF-16 ranges: what a browser's
/// string indexes, so marks land on the word even after emoji and accents.
@Suite struct SearchSnippetTests {
    /// The text a highlight covers, cut the way JavaScript's `slice` would.
    static func marked(_ snippet: SearchSnippet) -> [String] {
        let units = Array(snippet.text.utf16)
        return snippet.highlights.map { String(decoding: units[$0.start..<($0.start + $0.length)], as: UTF16.self) }
    }

    @Test func highlightsCoverEveryFormOfTheWordAfterEmojiAndAccents() {
        let snippet = SearchSnippet.make(
            content: "📦🚚 ¿El envío <b>salió</b>? Dos envíos, enviado ayer", terms: TextAnalyzer.queryTerms("envio"))
        #expect(snippet.text == "📦🚚 ¿El envío <b>salió</b>? Dos envíos, enviado ayer")
        #expect(Self.marked(snippet) == ["envío", "envíos", "enviado"])
    }

    @Test func longMessagesAreCutAroundTheFirstMatch() {
        let words = (1...40).map { "palabra\($0)" }
        let content = (words[..<20] + ["reembolso"] + words[20...]).joined(separator: " ")
        let snippet = SearchSnippet.make(content: content, terms: TextAnalyzer.queryTerms("reembolso"))
        #expect(snippet.text.hasPrefix("…palabra13 "))
        #expect(snippet.text.hasSuffix("…"))
        #expect(Self.marked(snippet) == ["reembolso"])
    }

    @Test func aMessageWithoutAVisibleMatchShowsItsStartUnmarked() {
        let content = String(repeating: "x", count: 200)
        let snippet = SearchSnippet.make(content: content, terms: TextAnalyzer.queryTerms("envio"))
        #expect(snippet.text == String(repeating: "x", count: 160) + "…")
        #expect(snippet.highlights.isEmpty)
    }
}
