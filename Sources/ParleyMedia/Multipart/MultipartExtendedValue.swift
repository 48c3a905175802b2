/// An RFC 8187 (formerly RFC 5987) extended parameter value, as in
/// `filename*=UTF-8''fot%C3%B3.jpg`: `charset'language'percent-encoded bytes`.
enum MultipartExtendedValue {
    /// The decoded text, or nil when the value is not well formed, names a charset other
    /// than UTF-8 or ISO-8859-1 (the two RFC 8187 requires), is not valid in its
    /// charset, or decodes to CR, LF or NUL. Nil makes the caller fall back to the plain
    /// parameter, as RFC 6266 §4.3 asks of a recipient that cannot use the extended one.
    static func decode(_ value: [UInt8]) -> String? {
        guard let charsetEnd = value.firstIndex(of: MultipartByte.apostrophe),
            let languageEnd = value[(charsetEnd + 1)...].firstIndex(of: MultipartByte.apostrophe)
        else { return nil }
        let charset = MultipartByte.lowercasedString(value[..<charsetEnd])

        var decoded: [UInt8] = []
        decoded.reserveCapacity(value.count - languageEnd)
        var index = languageEnd + 1
        while index < value.count {
            let byte = value[index]
            if byte == MultipartByte.percent {
                // Both digits must be inside the value: `%`, `%4` at the end are invalid.
                guard index + 2 < value.count, let high = MultipartByte.hexValue(value[index + 1]),
                    let low = MultipartByte.hexValue(value[index + 2])
                else { return nil }
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(byte)
                index += 1
            }
        }
        guard !decoded.contains(where: { $0 == MultipartByte.carriageReturn || $0 == MultipartByte.lineFeed || $0 == MultipartByte.nul })
        else { return nil }

        switch charset {
        case "utf-8":
            return String(validating: decoded, as: UTF8.self)
        case "iso-8859-1":
            // Every ISO-8859-1 byte is the Unicode scalar of the same number.
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: decoded.map { Unicode.Scalar($0) })
            return String(scalars)
        default:
            return nil
        }
    }
}
