/// Position after the last conversation of an inbox page: its activity time and id,
/// the keys the inbox is sorted by. Clients see it only as an opaque string.
public struct InboxCursor: Sendable, Hashable {
    public var lastActivityAt: Timestamp
    public var conversationID: String

    public init(lastActivityAt: Timestamp, conversationID: String) {
        self.lastActivityAt = lastActivityAt
        self.conversationID = conversationID
    }

    /// The opaque form handed to clients (hex, so it is URL-safe without escaping).
    public var token: String {
        let text = "\(lastActivityAt.millisecondsSince1970):\(conversationID)"
        return text.utf8.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
        }.joined()
    }

    /// Parses a token made by `token`; `nil` for anything else.
    public init?(token: String) {
        let hex = Array(token.utf8)
        guard !hex.isEmpty, hex.count % 2 == 0, hex.count <= 600 else { return nil }
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 48...57: byte - 48
            case 97...102: byte - 87
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = 0
        while index < hex.count {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":"), let milliseconds = Int64(text[..<colon]) else { return nil }
        let identifier = String(text[text.index(after: colon)...])
        guard !identifier.isEmpty else { return nil }
        self.init(lastActivityAt: Timestamp(millisecondsSince1970: milliseconds), conversationID: identifier)
    }
}
