/// Where the next inbox page starts. Clients see it only as an opaque string.
///
/// `snapshot` is the store's newest message position when the first page was read. Later
/// pages order every conversation by its activity *as of that snapshot*, so a
/// conversation that gets a new message while a client pages is neither skipped (it
/// keeps its old place) nor repeated; it shows at the top on the next refresh.
public struct InboxCursor: Sendable, Hashable {
    public var snapshot: Int64
    /// Sort key of the last conversation returned: its activity as of the snapshot, then its id.
    public var lastActivityAt: Timestamp
    public var conversationID: String

    public init(snapshot: Int64, lastActivityAt: Timestamp, conversationID: String) {
        self.snapshot = snapshot
        self.lastActivityAt = lastActivityAt
        self.conversationID = conversationID
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// The opaque form handed to clients (hex, so it is URL-safe without escaping).
    public var token: String {
        let text = "\(snapshot):\(lastActivityAt.millisecondsSince1970):\(conversationID)"
        var hex: [UInt8] = []
        hex.reserveCapacity(text.utf8.count * 2)
        for byte in text.utf8 {
            hex.append(Self.digits[Int(byte >> 4)])
            hex.append(Self.digits[Int(byte & 15)])
        }
        return String(decoding: hex, as: UTF8.self)
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
        // Tokens this server made hold valid UTF-8; repairing other bytes would make a
        // different cursor (found by Fuzz/CursorFuzz.swift).
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let snapshot = Int64(parts[0]), snapshot >= 0, let milliseconds = Int64(parts[1]),
            !parts[2].isEmpty
        else { return nil }
        self.init(
            snapshot: snapshot, lastActivityAt: Timestamp(millisecondsSince1970: milliseconds),
            conversationID: String(parts[2]))
    }
}
