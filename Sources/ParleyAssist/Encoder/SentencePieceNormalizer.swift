/// SentencePiece's text normaliser, driven by a model's precompiled character map
/// (`nmt_nfkc` for the assist encoder: NFKC plus a few clean-ups, as compiled rules).
///
/// The map is a darts-clone double-array trie over UTF-8 bytes whose values point into a
/// table of NUL-terminated replacements. At each position the longest key that matches
/// is replaced; where none does, one character is kept as it is. Whitespace is then
/// handled as the model says: leading, trailing and repeated spaces removed, a space put
/// in front, and spaces written as U+2581 (▁), which is how the vocabulary spells them.
struct SentencePieceNormalizer: Sendable {
    /// The trie's units (each a 32-bit word: label, leaf flag, offset or value).
    private let units: [UInt32]
    /// The replacements, NUL-terminated, addressed by the trie's values.
    private let replacements: [UInt8]
    private let addDummyPrefix: Bool
    private let removeExtraWhitespaces: Bool
    /// What a space becomes: U+2581 in UTF-8, or a plain space.
    private let spaceSymbol: [UInt8]

    private static let space: UInt8 = 0x20

    init(model: SentencePieceModel, path: String) throws(SentenceEncoderError) {
        let charsmap = model.precompiledCharsmap
        if charsmap.isEmpty {
            units = []
            replacements = []
        } else {
            guard charsmap.count >= 4 else { throw .badFile(path: path, reason: "precompiled charsmap is truncated") }
            let trieSize = Int(charsmap[0]) | Int(charsmap[1]) << 8 | Int(charsmap[2]) << 16 | Int(charsmap[3]) << 24
            guard trieSize % 4 == 0, trieSize <= charsmap.count - 4 else {
                throw .badFile(path: path, reason: "precompiled charsmap's trie size \(trieSize) does not fit the map")
            }
            units = (0..<trieSize / 4).map { index in
                let at = 4 + index * 4
                return UInt32(charsmap[at]) | UInt32(charsmap[at + 1]) << 8 | UInt32(charsmap[at + 2]) << 16
                    | UInt32(charsmap[at + 3]) << 24
            }
            replacements = Array(charsmap[(4 + trieSize)...])
        }
        addDummyPrefix = model.addDummyPrefix
        removeExtraWhitespaces = model.removeExtraWhitespaces
        spaceSymbol = model.escapeWhitespaces ? Array("\u{2581}".utf8) : [Self.space]
    }

    /// The normalised text's UTF-8 bytes; empty when nothing but whitespace (or characters
    /// the map deletes) was there.
    func normalize(_ text: String) -> [UInt8] {
        let input = Array(text.utf8)
        var position = 0
        if removeExtraWhitespaces {
            while position < input.count {
                let (piece, consumed) = normalizedPrefix(input, at: position)
                if piece.count != 1 || piece.first != Self.space { break }
                position += consumed
            }
        }
        guard position < input.count else { return [] }

        var output = [UInt8]()
        output.reserveCapacity(input.count + input.count / 2 + spaceSymbol.count)
        if addDummyPrefix { output.append(contentsOf: spaceSymbol) }
        // Whether the last piece written ended in a space: a following piece's leading
        // spaces are then dropped, so runs of spaces collapse to one.
        var previousWasSpace = removeExtraWhitespaces
        while position < input.count {
            var (piece, consumed) = normalizedPrefix(input, at: position)
            position += consumed
            if removeExtraWhitespaces && previousWasSpace {
                piece = piece.drop(while: { $0 == Self.space })
            }
            guard let last = piece.last else { continue }
            for byte in piece {
                if byte == Self.space {
                    output.append(contentsOf: spaceSymbol)
                } else {
                    output.append(byte)
                }
            }
            previousWasSpace = last == Self.space
        }
        if removeExtraWhitespaces {
            while output.count >= spaceSymbol.count && output.suffix(spaceSymbol.count).elementsEqual(spaceSymbol) {
                output.removeLast(spaceSymbol.count)
            }
        }
        return output
    }

    /// What the text at `position` normalises to, and how many input bytes that consumes:
    /// the replacement of the longest matching key, else the one UTF-8 character there.
    private func normalizedPrefix(_ input: [UInt8], at position: Int) -> (ArraySlice<UInt8>, Int) {
        var matchedLength = 0
        var matchedValue = 0
        if let root = units.first {
            var node = Self.offset(root)
            var index = position
            while index < input.count {
                let byte = UInt32(input[index])
                node ^= Int(byte)
                guard node < units.count else { break }
                let unit = units[node]
                // The label is the low byte; bit 31 set means "not a label", so never equal.
                guard unit & 0x8000_00FF == byte else { break }
                node ^= Self.offset(unit)
                index += 1
                if unit & 0x100 != 0, node < units.count {
                    matchedLength = index - position
                    matchedValue = Int(units[node] & 0x7FFF_FFFF)
                }
            }
        }
        if matchedLength > 0, matchedValue < replacements.count {
            let end = replacements[matchedValue...].firstIndex(of: 0) ?? replacements.endIndex
            return (replacements[matchedValue..<end], matchedLength)
        }
        let length = Self.characterLength(input, at: position)
        return (input[position..<position + length], length)
    }

    /// The byte length of the UTF-8 character at `position`, or 1 where the bytes are not
    /// a well-formed character.
    private static func characterLength(_ input: [UInt8], at position: Int) -> Int {
        let first = input[position]
        let length: Int
        switch first {
        case ..<0x80: return 1
        case _ where first >> 5 == 0b110: length = 2
        case _ where first >> 4 == 0b1110: length = 3
        case _ where first >> 3 == 0b11110: length = 4
        default: return 1
        }
        guard position + length <= input.count else { return 1 }
        for index in position + 1..<position + length where input[index] & 0xC0 != 0x80 { return 1 }
        return length
    }

    /// A darts-clone unit's offset to its children (bit 9 selects an 8-bit extra shift).
    private static func offset(_ unit: UInt32) -> Int {
        Int((unit >> 10) << ((unit & 0x200) >> 6))
    }
}
