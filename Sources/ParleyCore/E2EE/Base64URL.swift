import Foundation

/// The contract's binary encoding for end-to-end encryption: unpadded base64url
/// (RFC 4648 §5, no `=`). Decoding is strict: padding, other alphabets and a final
/// character with bits no decoder reads are refused, so one byte string has exactly one
/// text (a commitment is compared and signed as text).
public enum Base64URL {
    /// The bytes of `text`, or nil when it is not canonical unpadded base64url.
    public static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.count % 4 != 1,
            text.utf8.allSatisfy({ byte in
                (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                    || byte == 0x2D || byte == 0x5F
            }),
            let data = Data(base64URLEncoded: text)
        else { return nil }
        let bytes = [UInt8](data)
        // Re-encoding catches leftover bits in the last character (`AB` and `AA` would
        // otherwise both read as one zero byte).
        guard encode(bytes) == text else { return nil }
        return bytes
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64URLEncodedString()
    }

    /// The bytes of `text` for `field`, exactly `count` long (when given) and at most
    /// `maxCount`; else `invalid` naming the field.
    public static func field(
        _ text: String, field: String, count: Int? = nil, minCount: Int = 0, maxCount: Int = Int.max
    ) throws(ParleyError) -> [UInt8] {
        // Bounds the decoding work before it starts: 4 characters carry 3 bytes (no
        // bound without a maximum: `maxCount * 4` would overflow).
        if maxCount < Int.max / 4, text.utf8.count > (maxCount / 3 + 1) * 4 {
            throw .invalid(field: field, reason: "longer than \(maxCount) bytes")
        }
        guard let bytes = decode(text) else {
            throw .invalid(field: field, reason: "must be unpadded base64url (RFC 4648 §5, no '=')")
        }
        if let count, bytes.count != count { throw .invalid(field: field, reason: "must be \(count) bytes, not \(bytes.count)") }
        if bytes.count < minCount { throw .invalid(field: field, reason: "must be at least \(minCount) bytes") }
        if bytes.count > maxCount { throw .invalid(field: field, reason: "longer than \(maxCount) bytes") }
        return bytes
    }
}
