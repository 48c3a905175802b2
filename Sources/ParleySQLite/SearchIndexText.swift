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

    /// The terms of a stored message: `NewMessage.searchableText` (the one definition of
    /// what search reads, shared with the PostgreSQL store) rebuilt from the row, whose
    /// content is as it was sent (masked when masking applied) and whose annotations name
    /// its attachment. Throws `StoredValueError` for a row no version writes.
    static func terms(of record: MessageRecord) throws -> String {
        // Annotations are decoded only when they can hold an attachment: most rows carry
        // none or a sentiment, and a JSON decode per message would be most of the cost.
        var stored = record
        if stored.annotations?.contains(#""attachment""#) != true { stored.annotations = nil }
        let message = try stored.message(readPositions: ReadPositions())
        let sent = NewMessage(
            messageID: message.messageID, conversationID: message.conversationID, senderID: message.senderID,
            content: message.content, type: message.type, clientMessageID: message.clientMessageID, now: message.timestamp,
            annotations: message.annotations)
        return terms(content: sent.searchableText, conversationID: record.conversationID)
    }

    /// `cv` and the id's letters and digits: one FTS token that no word can produce
    /// (words are at most 64 characters; ids are longer).
    static func conversationToken(_ conversationID: String) -> String {
        "cv"
            + String(String.UnicodeScalarView(conversationID.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }))
            .lowercased()
    }
}
