/// Finds links: `https://…`, `www.…`, bare domains (`tienda.com`, `bit.ly/x`,
/// `wa.me/34612…`, `t.me/…`, `instagram.com/…`) and domains with the dot spaced or
/// written as a word ("tienda punto com", "tienda . com", "tienda (dot) com").
enum LinkDetector {
    static func spans(in text: MaskingText) -> [ContactSpan] {
        let tokens = text.tokens
        var spans: [ContactSpan] = []
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            let word = tokens[index].text
            let after = text.separator(before: index + 1)
            if word == "http" || word == "https", after.starts(with: [0x3A, 0x2F, 0x2F]) {
                spans.append(ContactSpan(start: tokens[index].start, end: endOfLink(from: tokens[index].end, in: text), kind: .link))
                continue
            }
            if word == "www", after.first == 0x2E, index + 1 < tokens.count {
                spans.append(ContactSpan(start: tokens[index].start, end: endOfLink(from: tokens[index].end, in: text), kind: .link))
                continue
            }
            // A chain starts after a space, not in the middle of "ana.lopez.com".
            if index > 0, text.separator(before: index) == [0x2E] { continue }
            if let span = bareDomain(at: index, in: text) ?? spelledDomain(at: index, in: text) { spans.append(span) }
        }
        return spans
    }

    /// `tienda.com`, `bit.ly/x`, `wa.me/…`: labels joined by dots with nothing around them.
    private static func bareDomain(at start: Int, in text: MaskingText) -> ContactSpan? {
        let tokens = text.tokens
        guard tokens[start].hasLetter else { return nil }
        var labels = [start]
        var position = start
        while position + 1 < tokens.count, labels.count < EmailDetector.maximumParts {
            let separator = text.separator(before: position + 1)
            guard separator.count == 1, separator.first == 0x2E || separator.first == 0x2D else { break }
            position += 1
            labels.append(position)
        }
        guard let last = labels.dropFirst().last(where: { MaskingVocabulary.topLevelDomains.contains(tokens[$0].text) }) else {
            return nil
        }
        let hasPath = text.separator(before: last + 1).first == 0x2F
        let topLevel = tokens[last].text
        if MaskingVocabulary.wordLikeDomains.contains(topLevel) {
            // "gracias.me llega mañana": a full stop without its space, not a link.
            let first = tokens[start].text
            let evidence =
                hasPath || MaskingVocabulary.contactSites.contains(first) || last - start >= 2
                || !MaskingVocabulary.commonWords.contains(first)
            guard evidence else { return nil }
        }
        let end = hasPath ? endOfLink(from: tokens[last].end, in: text) : tokens[last].end
        return ContactSpan(start: tokens[start].start, end: end, kind: .link)
    }

    /// "tienda punto com", "tienda . com", "tienda. com", "tienda (dot) com".
    private static func spelledDomain(at start: Int, in text: MaskingText) -> ContactSpan? {
        let tokens = text.tokens
        let name = tokens[start].text
        guard tokens[start].hasLetter, !MaskingVocabulary.commonWords.contains(name), name.count >= 3, start + 1 < tokens.count
        else { return nil }
        let separator = text.separator(before: start + 1)
        var topLevelIndex: Int
        if EmailDetector.core(separator) == [0x2E], separator.count <= 3 {
            topLevelIndex = start + 1
        } else if start + 2 < tokens.count, MaskingVocabulary.dotWords.contains(tokens[start + 1].text),
            EmailDetector.isWordJoin(separator), EmailDetector.isWordJoin(text.separator(before: start + 2))
        {
            topLevelIndex = start + 2
        } else {
            return nil
        }
        let topLevel = tokens[topLevelIndex].text
        guard MaskingVocabulary.topLevelDomains.contains(topLevel) else { return nil }
        if MaskingVocabulary.wordLikeDomains.contains(topLevel) {
            // "el punto es que…": only "tienda punto es" at the end of a sentence.
            let spelled = topLevelIndex == start + 2
            let rest = text.separator(before: topLevelIndex + 1)
            let endsThere = topLevelIndex + 1 == tokens.count || rest.contains { [0x2C, 0x2E, 0x21, 0x3F, 0x29].contains($0) }
            guard spelled, topLevel == "es", endsThere else { return nil }
        }
        var end = tokens[topLevelIndex].end
        // "(punto) com" leaves no bracket behind, "tienda.com/x" takes its path.
        if text.separator(before: topLevelIndex + 1).first == 0x2F { end = endOfLink(from: end, in: text) }
        return ContactSpan(start: tokens[start].start, end: end, kind: .link)
    }

    /// The end of a link written without spaces, less the punctuation that ends a sentence.
    private static func endOfLink(from position: Int, in text: MaskingText) -> Int {
        var end = position
        while end < text.bytes.count, text.bytes[end] != 0x20 { end += 1 }
        while end > position, [0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29, 0x22, 0x27].contains(text.bytes[end - 1]) { end -= 1 }
        return end
    }
}
