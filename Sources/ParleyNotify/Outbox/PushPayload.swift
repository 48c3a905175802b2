import Foundation
import ParleyCore

/// What a push carries (encrypted; only the browser's service worker reads it).
enum PushPayload: Encodable, Sendable {
    /// A new message the recipient has not read: the notification to show.
    case message(conversationID: String, messageID: String, seq: Int64, senderName: String, preview: String?, url: String)
    /// The conversation was read up to `seq` elsewhere: close its notification.
    case read(conversationID: String, seq: Int64)

    /// The contract's "up to 120 characters".
    static let maxPreviewCharacters = 120

    private enum CodingKeys: String, CodingKey {
        case type, seq, senderName, preview, url
        case conversationID = "conversationId"
        case messageID = "messageId"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .message(let conversationID, let messageID, let seq, let senderName, let preview, let url):
            try container.encode("message.new", forKey: .type)
            try container.encode(conversationID, forKey: .conversationID)
            try container.encode(messageID, forKey: .messageID)
            try container.encode(seq, forKey: .seq)
            try container.encode(senderName, forKey: .senderName)
            try container.encodeIfPresent(preview, forKey: .preview)
            try container.encode(url, forKey: .url)
        case .read(let conversationID, let seq):
            try container.encode("read", forKey: .type)
            try container.encode(conversationID, forKey: .conversationID)
            try container.encode(seq, forKey: .seq)
        }
    }

    /// The start of a message as a notification shows it: its text (or caption), else the
    /// attached file's name, cut at `maxPreviewCharacters` with an ellipsis. None for an
    /// end-to-end encrypted message: the server cannot read it (the contract).
    static func preview(of message: Message) -> String? {
        if message.annotations.encrypted != nil { return nil }
        var text = message.content.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty, let name = message.annotations.attachment?.name { text = name }
        guard text.count > maxPreviewCharacters else { return text }
        return String(text.prefix(maxPreviewCharacters - 1)) + "…"
    }

    /// RFC 3986's unreserved characters: ids stay readable in the URL.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")

    /// Where a click on the notification leads: the web client, opened on the thread.
    static func url(conversationID: String) -> String {
        "/?conversation=" + (conversationID.addingPercentEncoding(withAllowedCharacters: unreserved) ?? conversationID)
    }
}
