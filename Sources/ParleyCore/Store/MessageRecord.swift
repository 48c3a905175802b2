import Foundation

/// A message as both stores keep it (a row of `messages`), before its values are checked.
public struct MessageRecord: Sendable, Equatable {
    public var id: String
    public var conversationID: String
    public var seq: Int64
    public var senderID: String
    public var content: String
    /// A `MessageType`'s raw value.
    public var type: String
    public var clientMessageID: String?
    /// Milliseconds since 1970.
    public var createdAt: Int64
    /// `MessageAnnotations` as JSON, `nil` when there are none (`storedAnnotations(_:)`).
    public var annotations: String?

    public init(
        id: String, conversationID: String, seq: Int64, senderID: String, content: String, type: String,
        clientMessageID: String?, createdAt: Int64, annotations: String? = nil
    ) {
        self.id = id
        self.conversationID = conversationID
        self.seq = seq
        self.senderID = senderID
        self.content = content
        self.type = type
        self.clientMessageID = clientMessageID
        self.createdAt = createdAt
        self.annotations = annotations
    }

    /// The message, read by those whose position in `readPositions` (its conversation's)
    /// reached it; `StoredValueError` for a type no version of Parley writes.
    public func message(readPositions: ReadPositions) throws(StoredValueError) -> Message {
        Message(
            messageID: id,
            conversationID: conversationID,
            seq: seq,
            senderID: senderID,
            content: content,
            timestamp: Timestamp(millisecondsSince1970: createdAt),
            readBy: readPositions.readers(ofMessage: seq, sentBy: senderID),
            type: try MessageType(stored: type, column: "messages.type", row: "message \(id)"),
            clientMessageID: clientMessageID,
            annotations: try Self.decodeAnnotations(annotations, row: "message \(id)"))
    }

    /// The column value for `annotations`: `nil` when there are none, so most rows stay small.
    public static func storedAnnotations(_ annotations: MessageAnnotations) -> String? {
        // Most buyer and seller messages carry a sentiment and nothing else: written
        // directly, without a JSONEncoder per message on the send path.
        if let sentiment = annotations.sentiment, annotations == MessageAnnotations(sentiment: sentiment), sentiment.score.isFinite {
            return #"{"sentiment":{"label":"\#(sentiment.label.rawValue)","score":\#(sentiment.score)}}"#
        }
        guard !annotations.isEmpty, let data = try? JSONEncoder().encode(annotations) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// A sentiment as the JSON kept under `annotations.sentiment`.
    public static func storedSentiment(_ sentiment: Sentiment) throws -> String {
        String(decoding: try JSONEncoder().encode(sentiment), as: UTF8.self)
    }

    static func decodeAnnotations(_ stored: String?, row: String) throws(StoredValueError) -> MessageAnnotations {
        guard let stored else { return .none }
        do {
            return try JSONDecoder().decode(MessageAnnotations.self, from: Data(stored.utf8))
        } catch {
            throw StoredValueError(column: "messages.annotations", row: row, value: stored)
        }
    }
}
