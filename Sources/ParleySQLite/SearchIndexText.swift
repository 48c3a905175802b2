import ParleyCore

/// What the search index holds for a message: its analysed words (`TextAnalyzer`) and a
/// token naming its conversation, so a search limited to a few conversations is an
/// intersection of posting lists inside FTS5 instead of a walk over every match.
enum SearchIndexText {
    /// Conversations a viewer may have for the token-based plan; past it, the index is
    /// walked newest first and filtered.
    static let maxConversationTokens = 200

    static func terms(content: String, conversationID: String) -> String {
        (TextAnalyzer.indexTerms(content) + [conversationToken(conversationID)]).joined(separator: " ")
    }

    /// `cv` and the id's letters and digits: one FTS token that no word can produce
    /// (words are at most 64 characters; ids are longer).
    static func conversationToken(_ conversationID: String) -> String {
        "cv"
            + String(String.UnicodeScalarView(conversationID.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }))
            .lowercased()
    }
}
