/// Finds phone numbers however they are written: `+34 612 345 678`, `612-34-56-78`,
/// `(555) 123-4567`, digits spaced, dotted or dashed one by one, digits as words in
/// Spanish and English ("seis uno dos", "sesenta y seis", "doble seis", "five three oh
/// nine"), words and digits mixed.
///
/// Digits are joined across the separators people put inside a number; a sequence is a
/// phone number when it has at least `minimumDigits` digits, or `minimumDigitsWithCue`
/// next to a word such as "llámame", "tel", "whatsapp", "call me". A number that is a
/// price, a measure, a time or glued to letters (`PED-10231`, `1Z999…`) never joins a
/// sequence; a sequence next to a word such as "pedido", "seguimiento", "talla" is not a
/// phone number unless a phone word is nearer.
enum PhoneDetector {
    /// The shortest phone number without a phone word: Spain's 9 digits (the US 10).
    static let minimumDigits = 9
    /// The shortest next to a phone word: local numbers without area code ("867-5309").
    static let minimumDigitsWithCue = 7
    /// E.164's longest number with its country code; longer sequences are bank accounts,
    /// card numbers and parcel codes.
    static let maximumDigits = 15
    /// Tokens looked at before and after a sequence for a phone word or an order word.
    static let cueWindowBefore = 6
    static let cueWindowAfter = 4
    /// A single number without separators this long is an EAN, a parcel or an order code
    /// unless written with `+` or `00`.
    static let longestBareNumber = 11
    /// Non-space characters allowed between two digits of one number (" - ", ") ").
    static let maximumSeparatorMarks = 3

    /// A digit, or digits, read from one or a few tokens.
    struct DigitUnit {
        var firstToken: Int
        var lastToken: Int
        var digits: String
        var isWord: Bool
    }

    static func spans(in text: MaskingText) -> [ContactSpan] {
        let tokens = text.tokens
        guard tokens.contains(where: { $0.hasDigit || MaskingVocabulary.digitWords[$0.text] != nil }) else { return [] }
        let blocked = blockedNumbers(in: text)
        var spans: [ContactSpan] = []
        var run: [DigitUnit] = []
        var index = 0
        func close() {
            if !run.isEmpty, isPhone(run, in: text), let span = span(of: run, in: text) { spans.append(span) }
            run.removeAll(keepingCapacity: true)
        }
        while index < tokens.count {
            // "seis uno dos y luego tres cuatro…": a number read out goes on after "y luego".
            if let last = run.last, last.isWord, MaskingVocabulary.readingFillers.contains(tokens[index].text) {
                var next = index + 1
                if next < tokens.count, MaskingVocabulary.readingFillers.contains(tokens[next].text) { next += 1 }
                if next < tokens.count, let unit = unit(at: next, in: text, inRun: true), unit.isWord {
                    index = next
                    continue
                }
            }
            guard !blocked[index], let unit = unit(at: index, in: text, inRun: !run.isEmpty) else {
                close()
                index += 1
                continue
            }
            if let last = run.last, !joins(last, unit, in: text) { close() }
            run.append(unit)
            index = unit.lastToken + 1
        }
        close()
        return spans
    }

    // MARK: - Reading digits

    /// The digits that start at token `index`, if any.
    static func unit(at index: Int, in text: MaskingText, inRun: Bool) -> DigitUnit? {
        let tokens = text.tokens
        let token = tokens[index]
        if token.isNumeric {
            return DigitUnit(firstToken: index, lastToken: index, digits: token.text.filter(\.isNumber), isWord: false)
        }
        guard token.hasLetter, !token.hasDigit else { return nil }
        let word = token.text
        func next(_ offset: Int) -> String? {
            let position = index + offset
            guard position < tokens.count, isWordGap(text.separator(before: position)) else { return nil }
            return tokens[position].text
        }
        if let times = MaskingVocabulary.repeatWords[word], let following = next(1) {
            if let digit = MaskingVocabulary.digitWords[following] {
                return DigitUnit(firstToken: index, lastToken: index + 1, digits: String(repeating: digit, count: times), isWord: true)
            }
            if following.count == 1, following.first!.isNumber {
                return DigitUnit(firstToken: index, lastToken: index + 1, digits: String(repeating: following, count: times), isWord: true)
            }
            return nil
        }
        if let hundreds = MaskingVocabulary.hundredsWords[word] {
            if let rest = tensAndUnits(at: index + 1, in: text) {
                return DigitUnit(firstToken: index, lastToken: rest.lastToken, digits: hundreds + rest.digits, isWord: true)
            }
            if let following = next(1), let digit = MaskingVocabulary.digitWords[following] {
                return DigitUnit(firstToken: index, lastToken: index + 1, digits: hundreds + "0" + digit, isWord: true)
            }
            return DigitUnit(firstToken: index, lastToken: index, digits: hundreds + "00", isWord: true)
        }
        if let tens = tensAndUnits(at: index, in: text) { return tens }
        if let digit = MaskingVocabulary.digitWords[word] {
            return DigitUnit(firstToken: index, lastToken: index, digits: digit, isWord: true)
        }
        if inRun, MaskingVocabulary.innerZeroWords.contains(word) {
            return DigitUnit(firstToken: index, lastToken: index, digits: "0", isWord: true)
        }
        return nil
    }

    /// "doce", "sesenta y seis", "thirty-four", "veinte".
    private static func tensAndUnits(at index: Int, in text: MaskingText) -> DigitUnit? {
        let tokens = text.tokens
        guard index < tokens.count else { return nil }
        let word = tokens[index].text
        if let tens = MaskingVocabulary.tensWords[word] {
            var position = index + 1
            if position < tokens.count, ["y", "and"].contains(tokens[position].text), isWordGap(text.separator(before: position)) {
                position += 1
            }
            if position < tokens.count, isWordGap(text.separator(before: position)),
                let digit = MaskingVocabulary.digitWords[tokens[position].text], digit != "0"
            {
                return DigitUnit(firstToken: index, lastToken: position, digits: tens + digit, isWord: true)
            }
            return DigitUnit(firstToken: index, lastToken: index, digits: tens + "0", isWord: true)
        }
        if let digits = MaskingVocabulary.twoDigitWords[word] {
            return DigitUnit(firstToken: index, lastToken: index, digits: digits, isWord: true)
        }
        return nil
    }

    /// Spaces or a hyphen between the words of one number ("sesenta y seis", "thirty-four").
    private static func isWordGap(_ separator: ArraySlice<UInt8>) -> Bool {
        separator.count <= 3 && separator.allSatisfy { $0 == 0x20 || $0 == 0x2D }
    }

    /// Whether `next` continues the number `last` belongs to.
    private static func joins(_ last: DigitUnit, _ next: DigitUnit, in text: MaskingText) -> Bool {
        let separator = text.separator(before: next.firstToken)
        var marks = 0
        var comma = false
        var slash = false
        for byte in separator {
            switch byte {
            case 0x20: continue
            case 0x2E, 0x2D, 0x28, 0x29, 0x2B: marks += 1  // . - ( ) +
            case 0x2C: comma = true; marks += 1
            case 0x2F: slash = true; marks += 1
            default: return false
            }
        }
        guard marks <= maximumSeparatorMarks, separator.count <= 8 else { return false }
        // Lists of sizes or prices ("38, 40, 42") and dates ("12/03") separate with these;
        // phone numbers only when read out digit by digit ("seis uno dos, tres…").
        if comma || slash {
            let spokenOrSingle = (last.isWord || last.digits.count == 1) && (next.isWord || next.digits.count == 1)
            if !spokenOrSingle { return false }
        }
        return true
    }

    // MARK: - Numbers that never join

    /// Numeric tokens that are a price, a measure, a time, a percentage or part of a code.
    static func blockedNumbers(in text: MaskingText) -> [Bool] {
        let tokens = text.tokens
        var blocked = [Bool](repeating: false, count: tokens.count)
        for (index, token) in tokens.enumerated() where token.isNumeric {
            let before = text.separator(before: index)
            let after = text.separator(before: index + 1)
            let previous = index > 0 ? tokens[index - 1] : nil
            let next = index + 1 < tokens.count ? tokens[index + 1] : nil
            let tightBefore = !before.contains(0x20)
            if let previous, tightBefore, previous.hasLetter, !isPhoneCue(previous.text) { blocked[index] = true }
            if before.contains(0x23) || before.last == 0x24 || before.contains(0x24) && before.allSatisfy({ $0 == 0x20 || $0 == 0x24 }) {
                blocked[index] = true
            }
            if after.contains(0x25) || after.first(where: { $0 != 0x20 }) == 0x24 { blocked[index] = true }
            if let next, after.allSatisfy({ $0 == 0x20 }), MaskingVocabulary.unitWords.contains(next.text) { blocked[index] = true }
            if let previous, before.allSatisfy({ $0 == 0x20 }), previous.text == "x", index > 1, tokens[index - 2].isNumeric {
                blocked[index] = true
            }
            // Times and ratios: 18:30, 16:9.
            if after.first == 0x3A, next?.isNumeric == true { blocked[index] = true }
            if before.last == 0x3A, previous?.isNumeric == true { blocked[index] = true }
        }
        for date in dates(in: text) { blocked[date] = true }
        // A price or a measure written with thousands or decimals (1.299, 49,95) is one
        // number: block all of it.
        for _ in 0..<2 {
            for index in tokens.indices.dropFirst() where tokens[index].isNumeric && tokens[index - 1].isNumeric {
                let separator = text.separator(before: index)
                guard separator.count == 1, separator.first == 0x2C || separator.first == 0x2E else { continue }
                if blocked[index] || blocked[index - 1] {
                    blocked[index] = true
                    blocked[index - 1] = true
                }
            }
        }
        return blocked
    }

    /// Tokens of dates written with numbers only: three numbers joined by the same `.`,
    /// `/` or `-` and nothing else around them ("12.03.25", "2025-03-12"), where one
    /// could be a day and one a month. `6.12.34.56.78` is five numbers, not a date.
    private static func dates(in text: MaskingText) -> [Int] {
        let tokens = text.tokens
        var result: [Int] = []
        var index = 0
        while index + 2 < tokens.count {
            defer { index += 1 }
            guard tokens[index].isNumeric, tokens[index + 1].isNumeric, tokens[index + 2].isNumeric else { continue }
            let first = text.separator(before: index + 1)
            guard first.count == 1, [0x2E, 0x2F, 0x2D].contains(first.first!), text.separator(before: index + 2) == first else { continue }
            let before = text.separator(before: index)
            let after = text.separator(before: index + 3)
            let chainedBefore = index > 0 && before == first && tokens[index - 1].isNumeric
            let chainedAfter = index + 3 < tokens.count && after == first && tokens[index + 3].isNumeric
            guard !chainedBefore, !chainedAfter else { continue }
            let parts = (index...index + 2).map { tokens[$0].text }
            let values = parts.compactMap { Int($0) }
            guard values.count == 3 else { continue }
            let dayMonthYear = parts[0].count <= 2 && parts[1].count <= 2 && [2, 4].contains(parts[2].count)
                && ((1...31).contains(values[0]) && (1...12).contains(values[1]) || (1...12).contains(values[0]) && (1...31).contains(values[1]))
            let yearMonthDay = parts[0].count == 4 && (1...12).contains(values[1]) && (1...31).contains(values[2])
            if dayMonthYear || yearMonthDay { result += [index, index + 1, index + 2] }
        }
        return result
    }

    static func isPhoneCue(_ word: String) -> Bool {
        MaskingVocabulary.phoneCues.contains(word) || MaskingVocabulary.phoneCuePrefixes.contains { word.hasPrefix($0) }
    }

    // MARK: - Deciding

    private static func isPhone(_ run: [DigitUnit], in text: MaskingText) -> Bool {
        let digits = run.map(\.digits).joined()
        guard digits.count >= minimumDigitsWithCue, digits.count <= maximumDigits else { return false }
        let tokens = text.tokens
        let first = run[0].firstToken
        let last = run[run.count - 1].lastToken
        var phoneDistance: Int?
        var blockDistance: Int?
        for distance in 1...cueWindowBefore where first - distance >= 0 {
            let word = tokens[first - distance].text
            if phoneDistance == nil, isPhoneCue(word) { phoneDistance = distance }
            if blockDistance == nil, MaskingVocabulary.blockCues.contains(word) { blockDistance = distance }
        }
        var phoneAfter = false
        for distance in 1...cueWindowAfter where last + distance < tokens.count {
            if isPhoneCue(tokens[last + distance].text) { phoneAfter = true }
        }
        let hasCue = phoneDistance != nil || phoneAfter
        if let blockDistance, blockDistance < (phoneDistance ?? .max) { return false }
        let international = text.separator(before: first).contains(0x2B) || digits.hasPrefix("00")
        if run.count == 1, !run[0].isWord, digits.count > longestBareNumber, !international { return false }
        if digits.count < minimumDigits { return hasCue }
        if !hasCue, looksLikeList(run) { return false }
        return true
    }

    /// Sizes or counted things in a row ("36 38 40 42 44", "1 2 3 4 5 6 7 8 9 10"):
    /// numbers in an arithmetic progression, or pairs of digits not starting like a
    /// phone number.
    private static func looksLikeList(_ run: [DigitUnit]) -> Bool {
        guard run.count >= 4, run.allSatisfy({ !$0.isWord }) else { return false }
        let values = run.compactMap { Int($0.digits) }
        guard values.count == run.count else { return false }
        let step = values[1] - values[0]
        if step != 0, zip(values, values.dropFirst()).allSatisfy({ $1 - $0 == step }) { return true }
        if run.allSatisfy({ $0.digits.count == 2 }), let lead = run[0].digits.first, !"6789".contains(lead) { return true }
        return false
    }

    /// The run's span, with a `+` or `(` written right before it.
    private static func span(of run: [DigitUnit], in text: MaskingText) -> ContactSpan? {
        var start = text.tokens[run[0].firstToken].start
        let end = text.tokens[run[run.count - 1].lastToken].end
        while start > 0, text.bytes[start - 1] == 0x2B || text.bytes[start - 1] == 0x28 { start -= 1 }
        return ContactSpan(start: start, end: end, kind: .phone)
    }
}
