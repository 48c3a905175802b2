/// A folded copy of a message for contact detection, mapped back to the original.
///
/// Every Unicode scalar of the original becomes at most one ASCII byte: letters lower-cased
/// and stripped of accents, look-alikes from other scripts (Cyrillic `а`, Greek `ο`,
/// fullwidth `６`, mathematical `𝟔`, circled `⑥`, Arabic-Indic `٦`) turned into the
/// Latin letter or digit they imitate, other dashes, dots and spaces into `-`, `.` and ` `,
/// currency signs into `$`. Scalars that only hide or decorate (zero-width spaces and
/// joiners, variation selectors, the keycap of `6️⃣`, combining accents) become nothing:
/// they are folded into the byte before them, so a span found in `bytes` maps back to
/// whole characters of the original and the parts around it stay byte for byte.
struct MaskingText {
    /// The folded bytes: `a`–`z`, `0`–`9`, ASCII punctuation and space, `$` for any
    /// currency sign, and `otherLetter` for a letter with no Latin look-alike.
    private(set) var bytes: [UInt8] = []
    /// For each byte, the UTF-8 range of the original it stands for.
    private(set) var originStarts: [Int] = []
    private(set) var originEnds: [Int] = []
    private(set) var tokens: [MaskingToken] = []

    /// Stands for a letter without a Latin look-alike (`ß`, `я`, `中`): part of a word, equal to no word.
    static let otherLetter: UInt8 = 0x80

    init(_ text: String) {
        bytes.reserveCapacity(text.utf8.count)
        originStarts.reserveCapacity(text.utf8.count)
        originEnds.reserveCapacity(text.utf8.count)
        var offset = 0
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            defer { offset += width }
            switch Self.fold(scalar) {
            case .byte(let byte):
                bytes.append(byte)
                originStarts.append(offset)
                originEnds.append(offset + width)
            case .hidden:
                if !originEnds.isEmpty { originEnds[originEnds.count - 1] = offset + width }
            }
        }
        tokens = Self.tokenize(bytes)
    }

    /// The folded text between two tokens (or before the first / after the last).
    func separator(before index: Int) -> ArraySlice<UInt8> {
        let start = index > 0 ? tokens[index - 1].end : 0
        let end = index < tokens.count ? tokens[index].start : bytes.count
        return bytes[start..<end]
    }

    /// The original's UTF-8 range for folded bytes `start..<end`.
    func originRange(_ start: Int, _ end: Int) -> Range<Int> {
        originStarts[start]..<originEnds[end - 1]
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == otherLetter
    }

    private static func tokenize(_ bytes: [UInt8]) -> [MaskingToken] {
        var tokens: [MaskingToken] = []
        var index = 0
        while index < bytes.count {
            guard isWordByte(bytes[index]) else {
                index += 1
                continue
            }
            let start = index
            var hasLetter = false
            var hasDigit = false
            while index < bytes.count, isWordByte(bytes[index]) {
                if bytes[index] >= 0x30 && bytes[index] <= 0x39 { hasDigit = true } else if bytes[index] != 0x5F { hasLetter = true }
                index += 1
            }
            tokens.append(
                MaskingToken(
                    start: start, end: index, text: String(decoding: bytes[start..<index], as: UTF8.self), hasLetter: hasLetter,
                    hasDigit: hasDigit))
        }
        return tokens
    }

    // MARK: - Folding

    private enum Folded {
        case byte(UInt8)
        case hidden
    }

    private static func fold(_ scalar: Unicode.Scalar) -> Folded {
        let value = scalar.value
        if value < 0x80 {
            let byte = UInt8(value)
            if byte >= 0x41 && byte <= 0x5A { return .byte(byte + 0x20) }
            if byte < 0x20 || byte == 0x7F { return .byte(0x20) }
            return .byte(byte)
        }
        if let byte = lookAlikes[value] { return .byte(byte) }
        switch value {
        case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x206F,
            0xFE00...0xFE0F, 0xFEFF, 0x20E3, 0xE0000...0xE007F, 0x0300...0x036F, 0x1F3FB...0x1F3FF:
            return .hidden
        case 0xFF01...0xFF5E:
            // Fullwidth ASCII.
            return fold(Unicode.Scalar(value - 0xFEE0)!)
        case 0x1D400...0x1D6A3:
            // Mathematical bold, italic, script… letters: A–Z then a–z, 52 to a style.
            let letter = (value - 0x1D400) % 52
            return .byte(UInt8(0x61 + letter % 26))
        case 0x24B6...0x24CF: return .byte(UInt8(0x61 + value - 0x24B6))  // Ⓐ…Ⓩ
        case 0x24D0...0x24E9: return .byte(UInt8(0x61 + value - 0x24D0))  // ⓐ…ⓩ
        case 0x1F130...0x1F149: return .byte(UInt8(0x61 + value - 0x1F130))  // 🄰…🅉
        case 0x1F150...0x1F169: return .byte(UInt8(0x61 + value - 0x1F150))  // 🅐…🅩
        case 0x1F170...0x1F189: return .byte(UInt8(0x61 + value - 0x1F170))  // 🅰…🆉
        case 0x1F1E6...0x1F1FF: return .byte(UInt8(0x61 + value - 0x1F1E6))  // regional indicators 🇦…🇿
        default: break
        }
        let properties = scalar.properties
        if let numeric = properties.numericValue, properties.numericType == .decimal || properties.numericType == .digit,
            numeric >= 0, numeric <= 9, numeric == numeric.rounded()
        {
            return .byte(0x30 + UInt8(numeric))
        }
        switch properties.generalCategory {
        case .currencySymbol: return .byte(0x24)
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return .byte(0x20)
        case .dashPunctuation: return .byte(0x2D)
        case .nonspacingMark, .enclosingMark, .format: return .hidden
        default: break
        }
        if properties.isAlphabetic { return .byte(latinBase(scalar) ?? otherLetter) }
        return .byte(0x20)
    }

    /// Look-alikes outside ASCII that detection must see as the ASCII they imitate.
    private static let lookAlikes: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [:]
        func add(_ characters: String, _ ascii: Character) {
            for scalar in characters.unicodeScalars { table[scalar.value] = ascii.asciiValue! }
        }
        // Latin-1 and Latin Extended-A letters, by hand (no Foundation in the hot path).
        add("àáâãäåāăąÀÁÂÃÄÅĀĂĄªаАαΑ", "a")
        add("вВβΒ", "b")
        add("çćĉċčÇĆĈĊČсСϲ", "c")
        add("ďđĎĐԁ", "d")
        add("èéêëēĕėęěÈÉÊËĒĔĖĘĚеЕεΕ", "e")
        add("ĝğġģĜĞĠĢ", "g")
        add("ĥħĤĦнНηΗһ", "h")
        add("ìíîïĩīĭįıÌÍÎÏĨĪĬĮİіІιΙӏ", "i")
        add("ĵĴјЈ", "j")
        add("ķĶкКκΚ", "k")
        add("ĺļľŀłĹĻĽĿŁ", "l")
        add("мМμΜ", "m")
        add("ñńņňŉÑŃŅŇΝ", "n")
        add("òóôõöøōŏőÒÓÔÕÖØŌŎŐºоОοΟσ", "o")
        add("рРρΡ", "p")
        add("ŕŗřŔŖŘ", "r")
        add("śŝşšŚŜŞŠѕЅ", "s")
        add("ţťŧŢŤŦтТτΤ", "t")
        add("ùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲυ", "u")
        add("ѵνѴ", "v")
        add("ŵŴԝ", "w")
        add("хХχΧ", "x")
        add("ýÿŷÝŸŶуУΥγ", "y")
        add("źżžŹŻŽζΖ", "z")
        // Dots, at signs, separators that imitate ASCII ones.
        add("․‧∙·。｡﹒", ".")
        add("﹫", "@")
        add("∕⁄", "/")
        add("：﹕", ":")
        add("−", "-")
        // Circled zeros are "other" numbers in Unicode, unlike ①…⑨.
        add("⓪⓿", "0")
        return table
    }()

    /// The base letter of a Latin letter with marks outside the table (Latin Extended-B and
    /// Additional: `ǎ`, `ạ`, `ḿ`), read from its Unicode name ("LATIN SMALL LETTER A WITH
    /// DOT BELOW"); rare, so the cost of the name does not matter.
    private static func latinBase(_ scalar: Unicode.Scalar) -> UInt8? {
        guard (0x0180...0x024F).contains(scalar.value) || (0x1E00...0x1EFF).contains(scalar.value),
            let name = scalar.properties.name
        else { return nil }
        let words = name.split(separator: " ")
        guard let letter = words.firstIndex(of: "LETTER"), letter + 1 < words.count, words[letter + 1].count == 1,
            let ascii = words[letter + 1].first?.asciiValue, ascii >= 0x41, ascii <= 0x5A
        else { return nil }
        return ascii + 0x20
    }
}
