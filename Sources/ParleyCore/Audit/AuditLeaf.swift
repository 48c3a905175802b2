/// The canonical JSON text of an audit leaf: the bytes that are hashed.
///
/// Keys sorted by their UTF-8 bytes, no spaces, strings escaped only where JSON
/// requires it (`"`, `\`, control characters), integers in decimal. Anyone can
/// rebuild the same bytes from the parsed leaf.
public enum AuditLeaf {
    public static func canonicalJSON(index: Int64, record: AuditRecord) -> String {
        let object: [String: AuditValue] = [
            "index": .integer(index),
            "time": .string(record.time.rfc3339),
            "actor": .string(record.actor),
            "role": .string(record.role),
            "action": .string(record.action.rawValue),
            "conversationId": .optional(record.conversationID),
            "details": .object(record.details),
        ]
        var text = ""
        write(.object(object), into: &text)
        return text
    }

    public static func canonicalJSON(_ value: AuditValue) -> String {
        var text = ""
        write(value, into: &text)
        return text
    }

    private static func write(_ value: AuditValue, into text: inout String) {
        switch value {
        case .string(let string): writeString(string, into: &text)
        case .integer(let integer): text += String(integer)
        case .bool(let bool): text += bool ? "true" : "false"
        case .null: text += "null"
        case .array(let items):
            text += "["
            for (offset, item) in items.enumerated() {
                if offset > 0 { text += "," }
                write(item, into: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            let keys = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (offset, key) in keys.enumerated() {
                if offset > 0 { text += "," }
                writeString(key, into: &text)
                text += ":"
                write(members[key]!, into: &text)
            }
            text += "}"
        }
    }

    private static func writeString(_ string: String, into text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
