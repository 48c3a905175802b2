import ParleyCore

/// How a `ContactMasker` does on a `MaskingCorpus`: recall on messages with contact
/// details (fully masked: every expected kind found and nothing of the contact left),
/// the false-positive rate on messages without (changed at all), per-kind counts.
public struct MaskingEvaluation: Sendable {
    /// One message as the masker left it.
    public struct Outcome: Sendable {
        public var message: MaskingCorpus.Message
        public var result: MaskingResult
        /// What of a contact detail is still readable in the masked text, if anything.
        public var leftover: String?

        public var hasContact: Bool { !message.expected.isEmpty }
        public var isChanged: Bool { result.text != message.text }
        public var isFullyMasked: Bool { Set(message.expected).isSubset(of: result.kinds) && leftover == nil }
    }

    /// Per kind: messages expecting it, those where it was masked, and those where it was
    /// reported without being expected.
    public struct KindCount: Sendable {
        public var expected = 0
        public var found = 0
        public var unexpected = 0

        public init() {}
    }

    /// A run of this many digits left in a masked message is a phone number's rest.
    public static let leftoverDigits = 6

    public var outcomes: [Outcome]

    public init(corpus: MaskingCorpus, masker: ContactMasker) {
        outcomes = corpus.messages.map { message in
            let result = masker.mask(message.text)
            return Outcome(message: message, result: result, leftover: message.expected.isEmpty ? nil : Self.leftover(in: result.text))
        }
    }

    public var withContacts: [Outcome] { outcomes.filter(\.hasContact) }
    public var withoutContacts: [Outcome] { outcomes.filter { !$0.hasContact } }
    public var misses: [Outcome] { withContacts.filter { !$0.isFullyMasked } }
    public var falsePositives: [Outcome] { withoutContacts.filter(\.isChanged) }

    public var recall: Double {
        let positives = withContacts
        return positives.isEmpty ? 1 : Double(positives.count - misses.count) / Double(positives.count)
    }

    public var falsePositiveRate: Double {
        let negatives = withoutContacts
        return negatives.isEmpty ? 0 : Double(falsePositives.count) / Double(negatives.count)
    }

    public var kindCounts: [MaskedContact: KindCount] {
        var counts: [MaskedContact: KindCount] = [:]
        for outcome in outcomes {
            for kind in MaskedContact.allCases {
                let expected = outcome.message.expected.contains(kind)
                let found = outcome.result.kinds.contains(kind)
                if expected { counts[kind, default: KindCount()].expected += 1 }
                if expected && found { counts[kind, default: KindCount()].found += 1 }
                if found && !expected { counts[kind, default: KindCount()].unexpected += 1 }
            }
        }
        return counts
    }

    /// What of a contact detail is left in `masked`, judged without the masker's own
    /// detectors: a run of `leftoverDigits` digits (or digit words), an at sign before a
    /// name, "arroba", a mail provider's name, a scheme, `www.` or a spelled domain.
    public static func leftover(in masked: String) -> String? {
        let text = MaskingText(masked)
        let tokens = text.tokens
        var run = 0
        var index = 0
        while index < tokens.count {
            let separator = text.separator(before: index)
            let glued = index > 0 && tokens[index - 1].hasLetter && !separator.contains(0x20) || separator.contains(0x23)
            guard !glued, let unit = PhoneDetector.unit(at: index, in: text, inRun: run > 0) else {
                run = 0
                index += 1
                continue
            }
            let joins = separator.count <= 8 && separator.allSatisfy { " .-(),+_".utf8.contains($0) }
            run = (joins ? run : 0) + unit.digits.count
            if run >= leftoverDigits { return "digits near “\(tokens[index].text)”" }
            index = unit.lastToken + 1
        }
        for (index, token) in tokens.enumerated() {
            if token.hasLetter, text.separator(before: index).last == 0x40 { return "@\(token.text)" }
            if ["arroba", "http", "https", "www"].contains(token.text) { return token.text }
            // A provider's name is left over as a domain ("@gmail", "arroba hotmail", "gmail.com"),
            // not as a word ("mi hotmail es […]").
            let providerAsDomain =
                (index > 0 && (["arroba", "at"].contains(tokens[index - 1].text) || text.separator(before: index).contains(0x40)))
                || text.separator(before: index + 1).first == 0x2E
            if MaskingVocabulary.mailProviders.contains(token.text), providerAsDomain { return token.text }
        }
        let flat = String(decoding: text.bytes, as: UTF8.self)
        for mark in ["://", ".com", ".es/", ".me/", ".ly/", "punto com", "dot com"] where flat.contains(mark) { return mark }
        return nil
    }
}
