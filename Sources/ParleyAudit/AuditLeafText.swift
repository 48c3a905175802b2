import Foundation
import ParleyCore

/// Reads a stored leaf's text back: its `"index"`, and whether the text is exactly the
/// canonical JSON `AuditLeaf` writes (parsed, written again, byte for byte the same).
public enum AuditLeafText {
    /// The leaf's `"index"`, checking that the text is canonical JSON of an object.
    public static func canonicalIndex(of text: String) throws(AuditFormatError) -> Int64 {
        let value: AuditValue
        do {
            value = try JSONDecoder().decode(DecodedValue.self, from: Data(text.utf8)).value
        } catch {
            throw AuditFormatError("not JSON without fractions")
        }
        guard AuditLeaf.canonicalJSON(value) == text else {
            throw AuditFormatError("not canonical JSON (sorted keys, no spaces, minimal escapes)")
        }
        guard case .object(let members) = value, case .integer(let index)? = members["index"] else {
            throw AuditFormatError("no integer \"index\"")
        }
        return index
    }

    /// The leaf's `"index"` without checking the rest of the text: the top-level
    /// `,"index":` is the last one in canonical text (its keys are sorted, so only
    /// `details`, before it, can hold nested objects, and inside strings a quote is always
    /// escaped). Cheap enough for a server to run over every leaf at start.
    public static func index(of text: String) -> Int64? {
        let bytes = Array(text.utf8)
        let needle = Array(#","index":"#.utf8)
        guard bytes.count > needle.count else { return nil }
        var start = bytes.count - needle.count
        while start >= 0 {
            if bytes[start] == needle[0], Array(bytes[start..<start + needle.count]) == needle { break }
            start -= 1
        }
        guard start >= 0 else { return nil }
        var position = start + needle.count
        var digits = ""
        while position < bytes.count, bytes[position] == UInt8(ascii: "-") || (48...57).contains(bytes[position]) {
            digits.append(Character(Unicode.Scalar(bytes[position])))
            position += 1
        }
        guard position < bytes.count, bytes[position] == UInt8(ascii: ",") || bytes[position] == UInt8(ascii: "}") else {
            return nil
        }
        return Int64(digits)
    }

    /// A JSON value read as `AuditValue`: integers only, no fractions.
    struct DecodedValue: Decodable {
        let value: AuditValue

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                value = .null
            } else if let bool = try? container.decode(Bool.self) {
                value = .bool(bool)
            } else if let integer = try? container.decode(Int64.self) {
                value = .integer(integer)
            } else if let string = try? container.decode(String.self) {
                value = .string(string)
            } else if let items = try? container.decode([DecodedValue].self) {
                value = .array(items.map(\.value))
            } else {
                value = .object(try container.decode([String: DecodedValue].self).mapValues(\.value))
            }
        }
    }
}
