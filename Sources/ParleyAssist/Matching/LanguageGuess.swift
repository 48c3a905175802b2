import ParleyCore

/// A quick guess at whether a buyer's message is Spanish or English, from the short words
/// each language cannot do without; enough to know whether sharing no word with an entry
/// written in the other language means anything. Nil when the message gives no sign or
/// as many of each.
enum LanguageGuess {
    static func guess(_ text: String) -> AssistLanguage? {
        var spanish = 0
        var english = 0
        // Letters and marks English does not use.
        for scalar in text.unicodeScalars where "ñÑ¿¡áéíóúÁÉÍÓÚ".unicodeScalars.contains(scalar) { spanish += 1 }
        for word in TextAnalyzer.words(text) {
            if spanishWords.contains(word) { spanish += 1 }
            if englishWords.contains(word) { english += 1 }
        }
        if spanish == english { return nil }
        return spanish > english ? .es : .en
    }

    /// Folded; none is also a common English word.
    private static let spanishWords: Set<String> = [
        "de", "la", "el", "los", "las", "que", "q", "y", "un", "una", "por", "para", "con", "como", "cuanto", "cuantos",
        "cuando", "donde", "puedo", "puede", "hay", "tiene", "teneis", "tienen", "haceis", "hacen", "mi", "me", "se", "lo",
        "es", "esta", "pa", "porfa", "hola", "gracias", "si", "del", "al", "mis", "tu", "su", "pedido", "envio", "llega",
        "tarda", "quiero", "necesito", "podeis", "vale", "muy", "pero", "ya", "tengo",
    ]

    /// Folded; none is also a common Spanish word.
    private static let englishWords: Set<String> = [
        "the", "do", "does", "you", "u", "is", "are", "can", "how", "what", "my", "i", "it", "to", "of", "and", "for",
        "with", "when", "where", "will", "your", "im", "dont", "hi", "thanks", "please", "pls", "order", "ship", "have",
        "get", "this", "that", "there", "which", "whats", "wheres", "be", "was", "if", "or", "an", "in", "on", "would",
    ]
}
