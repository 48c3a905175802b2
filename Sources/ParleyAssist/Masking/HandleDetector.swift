/// Finds messaging handles: `@ana_tienda`, and a name given for a network ("mi insta es
/// ana.tienda", "búscame en telegram como anatienda", "ig: ana_moda88").
enum HandleDetector {
    /// Words read between a network's name and the handle ("en telegram me encuentras como …").
    static let maximumConnectors = 3
    /// Shorter names are words or initials, not handles.
    static let minimumLength = 3

    static let possessives: Set<String> = ["mi", "my", "our", "nuestro", "nuestra", "su", "tu", "your"]

    static func spans(in text: MaskingText) -> [ContactSpan] {
        let tokens = text.tokens
        var spans: [ContactSpan] = []
        for index in tokens.indices {
            let separator = text.separator(before: index)
            // "@ana": an at sign with no mailbox glued before it.
            if separator.last == 0x40, separator.count >= 2 || index == 0, tokens[index].hasLetter || tokens[index].text.contains("_") {
                let end = chainEnd(from: index, in: text)
                spans.append(ContactSpan(start: tokens[index].start - 1, end: tokens[end].end, kind: .handle))
                continue
            }
            guard MaskingVocabulary.handleCues.contains(tokens[index].text) else { continue }
            if let span = namedHandle(afterCue: index, in: text) { spans.append(span) }
        }
        return spans
    }

    /// The handle given after the network's name at `cue`, if one is.
    private static func namedHandle(afterCue cue: Int, in text: MaskingText) -> ContactSpan? {
        let tokens = text.tokens
        let possessive = (max(0, cue - 2)..<cue).contains { possessives.contains(tokens[$0].text) }
        var explicit = false
        var position = cue + 1
        var connectors = 0
        while position < tokens.count {
            let separator = text.separator(before: position)
            // "instagram.com/…" is a link; a sentence's end ends the search.
            if position == cue + 1, separator.first == 0x2E || separator.first == 0x2F { return nil }
            for byte in separator {
                switch byte {
                case 0x3A, 0x3D, 0x3E, 0x40: explicit = true  // : = > @
                case 0x20, 0x2C, 0x2D, 0x28, 0x29: continue
                default: return nil
                }
            }
            let word = tokens[position].text
            guard connectors < maximumConnectors, MaskingVocabulary.handleConnectors.contains(word), position + 1 < tokens.count else {
                break
            }
            if MaskingVocabulary.explicitHandleConnectors.contains(word), possessive || (word != "es" && word != "is") {
                explicit = true
            }
            connectors += 1
            position += 1
        }
        guard position < tokens.count, tokens[position].hasLetter else { return nil }
        let end = chainEnd(from: position, in: text)
        let single = end == position
        let name = tokens[position].text
        if single, MaskingVocabulary.commonWords.contains(name) || MaskingVocabulary.handleCues.contains(name) { return nil }
        if single, name.count < minimumLength { return nil }
        let handleLike = !single || tokens[position].hasDigit || name.contains("_")
        guard explicit || handleLike else { return nil }
        var start = tokens[position].start
        if start > 0, text.bytes[start - 1] == 0x40 { start -= 1 }
        return ContactSpan(start: start, end: tokens[end].end, kind: .handle)
    }

    /// The last token of a handle starting at `start`: names joined by single dots ("ana.tienda.88").
    private static func chainEnd(from start: Int, in text: MaskingText) -> Int {
        var end = start
        while end + 1 < text.tokens.count, end - start < EmailDetector.maximumParts, text.separator(before: end + 1) == [0x2E] {
            end += 1
        }
        return end
    }
}
