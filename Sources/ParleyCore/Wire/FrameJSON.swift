import Foundation

/// The JSON of the frames every message produces — `message.new` (once per recipient
/// disclosure) and the sender's `ack` — written straight into bytes.
///
/// `JSONEncoder` boxes every value and key through its generic containers; on the
/// realtime path it was a tenth of the node's CPU (docs/benchmarks.md, issue 17). The
/// shapes here are fixed by the contract, so they are written by hand, key for key in the
/// order the `Codable` conformances give (`Message+Codable`, `ServerEvent`,
/// `ServerFrame`). Values that are rare on this path and nested (an automatic answer's
/// mark, an attachment, an encrypted envelope) are encoded by `JSONEncoder` and spliced
/// in, so there is one definition of their shape. Every other frame returns nil: its
/// caller encodes it with `JSONEncoder`.
public enum FrameJSON {
    /// `frame` as JSON text, or nil when it is not one of the shapes written here (or a
    /// number in it has no JSON form).
    public static func text(of frame: ServerFrame) -> String? {
        var writer = Writer()
        switch frame {
        case .event(let event):
            return text(of: event)
        case .ack(let id, let message):
            writer.raw("{\"type\":\"ack\"")
            if let id {
                writer.raw(",\"id\":")
                guard writer.frameID(id) else { return nil }
            }
            writer.raw(",\"message\":")
            guard writer.message(message) else { return nil }
            writer.raw("}")
        case .pong(let id):
            writer.raw("{\"type\":\"pong\"")
            if let id {
                writer.raw(",\"id\":")
                guard writer.frameID(id) else { return nil }
            }
            writer.raw("}")
        case .error, .resumed:
            return nil
        }
        return writer.text
    }

    /// `event` as JSON text, or nil when it is not a `message.new`.
    public static func text(of event: ServerEvent) -> String? {
        guard case .messageNew(let message, let cursor) = event else { return nil }
        var writer = Writer()
        writer.raw("{\"type\":\"message.new\",\"message\":")
        guard writer.message(message) else { return nil }
        writer.raw(",\"cursor\":")
        writer.string(cursor.token)
        writer.raw("}")
        return writer.text
    }

    /// Bytes of one JSON text, appended in order.
    private struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(384) }

        var text: String { String(decoding: bytes, as: UTF8.self) }

        mutating func raw(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        mutating func key(_ name: StaticString) {
            raw(",\"")
            raw(name)
            raw("\":")
        }

        /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t`… or
        /// `\u00XX`; everything else (UTF-8, `/`) as it is.
        mutating func string(_ value: String) {
            bytes.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                case 0x08: raw("\\b")
                case 0x0C: raw("\\f")
                case 0..<0x20:
                    raw("\\u00")
                    bytes.append(Self.hexDigit(byte >> 4))
                    bytes.append(Self.hexDigit(byte & 0x0F))
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }

        private static func hexDigit(_ value: UInt8) -> UInt8 {
            value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
        }

        mutating func integer(_ value: Int64) {
            bytes.append(contentsOf: String(value).utf8)
        }

        /// False for NaN and infinities, which JSON cannot carry (`JSONEncoder` throws).
        mutating func double(_ value: Double) -> Bool {
            guard value.isFinite else { return false }
            bytes.append(contentsOf: value.description.utf8)
            return true
        }

        /// As `FrameID.encode(to:)`: a whole number as an integer.
        mutating func frameID(_ id: FrameID) -> Bool {
            switch id {
            case .string(let text):
                string(text)
                return true
            case .number(let number):
                if number == number.rounded(), abs(number) < 9e15 {
                    integer(Int64(number))
                    return true
                }
                return double(number)
            }
        }

        /// A value encoded by `JSONEncoder`, spliced in.
        mutating func encoded(_ value: some Encodable) -> Bool {
            guard let data = try? JSONEncoder().encode(value) else { return false }
            bytes.append(contentsOf: data)
            return true
        }

        /// A Message, as `Message.encode(to:)` writes it.
        mutating func message(_ message: Message) -> Bool {
            raw("{\"messageId\":")
            string(message.messageID)
            key("conversationId")
            string(message.conversationID)
            key("seq")
            integer(message.seq)
            key("senderId")
            string(message.senderID)
            key("content")
            string(message.content)
            key("timestamp")
            string(message.timestamp.rfc3339)
            key("readBy")
            raw("[")
            for (index, reader) in message.readBy.enumerated() {
                if index > 0 { raw(",") }
                string(reader)
            }
            raw("]")
            key("type")
            string(message.type.rawValue)
            if let clientMessageID = message.clientMessageID {
                key("clientMessageId")
                string(clientMessageID)
            }
            let annotations = message.annotations
            if annotations.isEmpty {
                raw("}")
                return true
            }
            if let templateID = annotations.templateID {
                key("templateId")
                string(templateID)
            }
            if let auto = annotations.auto {
                key("auto")
                guard encoded(auto) else { return false }
            }
            if let sentiment = annotations.sentiment {
                key("sentiment")
                raw("{\"label\":")
                string(sentiment.label.rawValue)
                raw(",\"score\":")
                guard double(sentiment.score) else { return false }
                raw("}")
            }
            if let masked = annotations.masked {
                key("masked")
                raw("[")
                for (index, kind) in masked.enumerated() {
                    if index > 0 { raw(",") }
                    string(kind.rawValue)
                }
                raw("]")
            }
            if let originalContent = annotations.originalContent {
                key("originalContent")
                string(originalContent)
            }
            if let attachment = annotations.attachment {
                key("attachment")
                guard encoded(attachment) else { return false }
            }
            if let encrypted = annotations.encrypted {
                key("encrypted")
                guard encoded(encrypted) else { return false }
            }
            if let commitment = annotations.commitment {
                key("commitment")
                string(commitment)
            }
            if let receipt = annotations.receipt {
                key("receipt")
                string(receipt)
            }
            raw("}")
            return true
        }
    }
}
