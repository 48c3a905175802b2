/// Reads the frame every message arrives in — a plain `message.send`, a flat JSON object
/// of strings and numbers — straight from its UTF-8, without `JSONDecoder`.
///
/// `JSONDecoder` was a twentieth of the node's CPU on the realtime path (docs/benchmarks.md,
/// issue 17). The scanner accepts only what it can read exactly as the decoder would: a
/// strict RFC 8259 object whose keys are among `type`, `id`, `conversationId`, `content`,
/// `contentType` and `clientMessageId`, each at most once, with `type` `message.send`,
/// string values where `ClientFrame.init(from:)` decodes strings, and an `id` that is a
/// string, a number, `true`, `false` or `null`. Anything else — another frame type, an
/// attachment or an encrypted message, a nested value, a malformed text — answers nil, and
/// the caller decodes with `JSONDecoder`, which also words the errors.
public enum MessageSendScanner {
    public static func frame(_ text: String) -> ClientFrame? {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            return scanner.messageSend()
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        /// A value as read: only what a plain `message.send` holds.
        enum Value {
            case string(String)
            case number(Double)
            case literal
        }

        mutating func messageSend() -> ClientFrame? {
            skipWhitespace()
            guard take(UInt8(ascii: "{")) else { return nil }
            var type: String?
            var id: FrameID?
            var sawID = false
            var conversationID: String?
            var content: String?
            var contentType: String?
            var clientMessageID: String?
            var sawClientMessageID = false
            skipWhitespace()
            if !take(UInt8(ascii: "}")) {
                while true {
                    skipWhitespace()
                    guard let key = string() else { return nil }
                    skipWhitespace()
                    guard take(UInt8(ascii: ":")) else { return nil }
                    skipWhitespace()
                    guard let value = value() else { return nil }
                    switch key {
                    case "type":
                        guard type == nil, case .string(let text) = value else { return nil }
                        type = text
                    case "id":
                        guard !sawID else { return nil }
                        sawID = true
                        switch value {
                        case .string(let text): id = .string(text)
                        case .number(let number): id = .number(number)
                        case .literal: id = nil  // as `try? decodeIfPresent`: no id
                        }
                    case "conversationId":
                        guard conversationID == nil, case .string(let text) = value else { return nil }
                        conversationID = text
                    case "content":
                        guard content == nil, case .string(let text) = value else { return nil }
                        content = text
                    case "contentType":
                        guard contentType == nil, case .string(let text) = value else { return nil }
                        contentType = text
                    case "clientMessageId":
                        guard !sawClientMessageID else { return nil }
                        sawClientMessageID = true
                        switch value {
                        case .string(let text): clientMessageID = text
                        case .number: return nil
                        case .literal: if !lastLiteralWasNull { return nil }  // null is absent; a Boolean is not a string
                        }
                    default:
                        return nil
                    }
                    skipWhitespace()
                    if take(UInt8(ascii: ",")) { continue }
                    guard take(UInt8(ascii: "}")) else { return nil }
                    break
                }
            }
            skipWhitespace()
            guard index == bytes.count, type == "message.send", let conversationID, let content else { return nil }
            let messageType: MessageType
            if let contentType {
                guard let known = MessageType(rawValue: contentType) else { return nil }
                messageType = known
            } else {
                messageType = .text
            }
            return .messageSend(
                id: id, conversationID: conversationID, content: content, contentType: messageType, clientMessageID: clientMessageID)
        }

        /// Whether the literal last read was `null` (a `clientMessageId` may be null, not a Boolean).
        var lastLiteralWasNull = false

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func value() -> Value? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return string().map(Value.string)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return number().map(Value.number)
            case UInt8(ascii: "t"):
                lastLiteralWasNull = false
                return literal("true") ? .literal : nil
            case UInt8(ascii: "f"):
                lastLiteralWasNull = false
                return literal("false") ? .literal : nil
            case UInt8(ascii: "n"):
                lastLiteralWasNull = true
                return literal("null") ? .literal : nil
            default:
                return nil  // an object or an array: not a plain message.send
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let length = word.utf8CodeUnitCount
            guard index + length <= bytes.count else { return false }
            for offset in 0..<length where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += length
            return true
        }

        /// A number by RFC 8259's grammar without an exponent: `-? (0 | [1-9][0-9]*) (. [0-9]+)?`.
        mutating func number() -> Double? {
            let start = index
            _ = take(UInt8(ascii: "-"))
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                guard digits() > 0 else { return nil }
            }
            if take(UInt8(ascii: ".")) {
                guard digits() > 0 else { return nil }
            }
            // An exponent is left to the decoder: Foundation's parser refuses some that
            // RFC 8259 allows ("0e3"), and clients do not write them.
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") { return nil }
            guard let number = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)),
                number.isFinite
            else { return nil }
            return number
        }

        mutating func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }

        /// A string with its escapes read; nil for a raw control character, a bad escape or
        /// a lone surrogate (left to the decoder).
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            // The common case: no escapes, the bytes are the string.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { return nil }
                index += 1
            }
            var decoded = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: decoded, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                    case UInt8(ascii: "b"): decoded.append(0x08)
                    case UInt8(ascii: "f"): decoded.append(0x0C)
                    case UInt8(ascii: "n"): decoded.append(0x0A)
                    case UInt8(ascii: "r"): decoded.append(0x0D)
                    case UInt8(ascii: "t"): decoded.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let unit = hex4() else { return nil }
                        var scalarValue = UInt32(unit)
                        if (0xD800...0xDBFF).contains(unit) {
                            guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00...0xDFFF).contains(low)
                            else { return nil }
                            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        } else if (0xDC00...0xDFFF).contains(unit) {
                            return nil
                        }
                        guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
                        UTF8.encode(scalar) { decoded.append($0) }
                    default:
                        return nil
                    }
                default:
                    if byte < 0x20 { return nil }
                    decoded.append(byte)
                }
            }
            return nil
        }

        mutating func hex4() -> UInt16? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt16 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                index += 1
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt16(digit)
            }
            return value
        }
    }
}
