import Foundation

/// One line `parley-e2ee-peer` prints on stdout (JSON): a message of the conversation as
/// this device read it, or the message it sent.
struct PeerLine: Encodable {
    var messageId: String
    var senderId: String
    var seq: Int64?
    /// The decrypted (or plain) text; left out when it cannot be shown.
    var content: String?
    /// Why it cannot be shown; left out when it was.
    var error: String?
    /// Whether the message came in an end-to-end encrypted envelope.
    var encrypted: Bool
    /// `true` on the line of the reply this device sent.
    var sent: Bool = false

    /// The line as compact JSON with sorted keys.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
