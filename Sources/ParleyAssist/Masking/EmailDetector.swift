/// Finds e-mail addresses, plain or disguised: `ana@gmail.com`, `ana @ gmail . com`,
/// `ana arroba gmail punto com`, `ana at gmail dot com`, `ana [at] gmail (dot) com`,
/// `ana@gmail. com`, and an address without its domain when a provider names it
/// ("ana at gmail", "ana arroba hotmail").
enum EmailDetector {
    /// Parts of a mailbox ("ana.maria.lopez") or labels of a domain read at most.
    static let maximumParts = 6

    /// A domain as read after the `@`: where it ends and whether it is surely a mail domain.
    struct Domain {
        var lastToken: Int
        /// It ends in a known top-level domain, or starts with a mail provider.
        var isQualified: Bool
    }

    static func spans(in text: MaskingText) -> [ContactSpan] {
        let tokens = text.tokens
        guard tokens.count >= 2 else { return [] }
        var spans: [ContactSpan] = []
        for index in 1..<tokens.count {
            let separator = text.separator(before: index)
            if core(separator) == [0x40] {
                guard tokens[index].hasLetter, let local = localPart(endingAt: index - 1, in: text),
                    let domain = domain(startingAt: index, in: text)
                else { continue }
                // "en @ana_tienda" is a handle; "pepe @gmail.com" an address.
                if separator.first == 0x20, !domain.isQualified { continue }
                spans.append(ContactSpan(start: tokens[local.start].start, end: tokens[domain.lastToken].end, kind: .email))
                continue
            }
            let word = tokens[index].text
            guard MaskingVocabulary.atWords.contains(word), index + 1 < tokens.count, isWordJoin(separator),
                isWordJoin(text.separator(before: index + 1)), let local = localPart(endingAt: index - 1, in: text),
                !local.isCommonWord, let domain = domain(startingAt: index + 1, in: text), tokens[index + 1].hasLetter
            else { continue }
            // "arroba" is always the sign; "at" only before a mail domain.
            if word == "at", !domain.isQualified { continue }
            spans.append(ContactSpan(start: tokens[local.start].start, end: tokens[domain.lastToken].end, kind: .email))
        }
        return spans
    }

    /// The separator without spaces and brackets: `" [@] "` reads as `@`.
    static func core(_ separator: ArraySlice<UInt8>) -> [UInt8] {
        separator.filter { !isSpaceOrBracket($0) }
    }

    static func isSpaceOrBracket(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x3C, 0x3E: true
        default: false
        }
    }

    /// Spaces and brackets only, around a word that stands for a sign ("(at)", " punto ").
    static func isWordJoin(_ separator: ArraySlice<UInt8>) -> Bool {
        separator.count <= 4 && separator.allSatisfy(isSpaceOrBracket)
    }

    /// The mailbox ending at token `end`: "ana", "ana.lopez", "juan . perez", "ana punto lopez".
    private static func localPart(endingAt end: Int, in text: MaskingText) -> (start: Int, isCommonWord: Bool)? {
        let tokens = text.tokens
        var start = end
        var parts = 1
        while start > 0, parts < maximumParts {
            let separator = text.separator(before: start)
            if separator.count == 1, [0x2E, 0x2D, 0x2B].contains(separator.first!) {
                start -= 1
            } else if core(separator) == [0x2E], separator.count <= 3 {
                start -= 1
            } else if start >= 2, MaskingVocabulary.dotWords.contains(tokens[start - 1].text), isWordJoin(separator),
                isWordJoin(text.separator(before: start - 1)), !MaskingVocabulary.commonWords.contains(tokens[start - 2].text)
            {
                start -= 2
            } else {
                break
            }
            parts += 1
        }
        let isCommon = start == end && MaskingVocabulary.commonWords.contains(tokens[end].text)
        return (start, isCommon)
    }

    /// The domain starting at token `start`, up to its last top-level domain when it has
    /// one: "gmail.com" in "ana@gmail.com. gracias".
    static func domain(startingAt start: Int, in text: MaskingText) -> Domain? {
        let tokens = text.tokens
        guard start < tokens.count else { return nil }
        var labels = [start]
        var position = start
        while labels.count < maximumParts, position + 1 < tokens.count {
            let separator = text.separator(before: position + 1)
            if (separator.count == 1 && [0x2E, 0x2D, 0x2C].contains(separator.first!))
                || (core(separator) == [0x2E] && separator.count <= 3)
            {
                position += 1
            } else if position + 2 < tokens.count, MaskingVocabulary.dotWords.contains(tokens[position + 1].text),
                isWordJoin(separator), isWordJoin(text.separator(before: position + 2))
            {
                position += 2
            } else {
                break
            }
            labels.append(position)
        }
        let lastDomain = labels.dropFirst().last { MaskingVocabulary.topLevelDomains.contains(tokens[$0].text) }
        let provider = MaskingVocabulary.mailProviders.contains(tokens[start].text)
        return Domain(lastToken: lastDomain ?? start, isQualified: lastDomain != nil || provider)
    }
}
