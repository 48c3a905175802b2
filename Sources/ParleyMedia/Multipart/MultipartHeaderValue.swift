/// A header value of the form `type; name=value; name="quoted value"` — the grammar
/// of `Content-Type` (RFC 9110 §5.6.6) and `Content-Disposition` (RFC 6266) — parsed
/// strictly: a value that could be read two ways is refused rather than guessed at.
struct MultipartHeaderValue: Sendable {
    /// The media or disposition type, ASCII-lowercased (`multipart/form-data`, `form-data`).
    var type: String
    /// Parameters by ASCII-lowercased name, values with quoting undone.
    var parameters: [String: [UInt8]]

    init(parsing text: ArraySlice<UInt8>) throws(MultipartError) {
        let bytes = MultipartByte.trimmed(text)
        var index = bytes.startIndex
        let end = bytes.endIndex

        func skipWhitespace() {
            while index < end, MultipartByte.isWhitespace(bytes[index]) { index += 1 }
        }
        /// Bytes up to `;`, `=` or whitespace.
        func readWord(stoppingAtEquals: Bool) -> ArraySlice<UInt8> {
            let start = index
            while index < end {
                let byte = bytes[index]
                if byte == MultipartByte.semicolon || MultipartByte.isWhitespace(byte) { break }
                if stoppingAtEquals && byte == MultipartByte.equals { break }
                index += 1
            }
            return bytes[start..<index]
        }

        let typeBytes = readWord(stoppingAtEquals: false)
        guard !typeBytes.isEmpty, typeBytes.allSatisfy({ MultipartByte.isTokenCharacter($0) || $0 == 0x2F }) else {
            throw .malformed("header value without a type")
        }
        type = MultipartByte.lowercasedString(typeBytes)
        parameters = [:]

        while true {
            skipWhitespace()
            if index == end { break }
            guard bytes[index] == MultipartByte.semicolon else {
                throw .malformed("unexpected text after a header parameter")
            }
            index += 1
            skipWhitespace()
            // An empty parameter (`;;` or a trailing `;`) is harmless.
            if index == end || bytes[index] == MultipartByte.semicolon { continue }
            let nameBytes = readWord(stoppingAtEquals: true)
            guard !nameBytes.isEmpty, nameBytes.allSatisfy(MultipartByte.isTokenCharacter) else {
                throw .malformed("invalid header parameter name")
            }
            skipWhitespace()
            guard index < end, bytes[index] == MultipartByte.equals else {
                throw .malformed("header parameter without a value")
            }
            index += 1
            skipWhitespace()
            var value: [UInt8] = []
            if index < end, bytes[index] == MultipartByte.quote {
                index += 1
                var closed = false
                while index < end {
                    let byte = bytes[index]
                    if byte == MultipartByte.quote {
                        index += 1
                        closed = true
                        break
                    }
                    // RFC 9110 quoted-pair, but only before `"` and `\`: browsers do not
                    // escape a backslash in a file name (`a\b.txt`, an old browser's
                    // `C:\fotos\a.jpg`), so a backslash before anything else is literal.
                    if byte == MultipartByte.backslash, index + 1 < end,
                        bytes[index + 1] == MultipartByte.quote || bytes[index + 1] == MultipartByte.backslash
                    {
                        value.append(bytes[index + 1])
                        index += 2
                        continue
                    }
                    value.append(byte)
                    index += 1
                }
                guard closed else { throw .malformed("unterminated quoted string in a header") }
            } else {
                value = Array(readWord(stoppingAtEquals: false))
                guard !value.isEmpty else { throw .malformed("header parameter without a value") }
            }
            let name = MultipartByte.lowercasedString(nameBytes)
            // Two values for one name would let two readers see two different files.
            guard parameters.updateValue(value, forKey: name) == nil else {
                throw .malformed("header parameter given twice")
            }
        }
    }
}
