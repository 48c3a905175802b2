/// A frame a client sends (the contract's "Client to server").
public enum ClientFrame: Sendable, Equatable {
    /// `attachmentID`: the upload an `image` or `file` message carries (then `content` is an
    /// optional caption, and may be absent). `encrypted`: the ciphertext of an end-to-end
    /// encrypted message (then `content` is absent, read as empty).
    case messageSend(
        id: FrameID?, conversationID: String, content: String, contentType: MessageType, clientMessageID: String?,
        attachmentID: String? = nil, encrypted: EncryptedSend? = nil)
    case typing(id: FrameID?, conversationID: String, state: TypingState)
    case read(id: FrameID?, conversationID: String, seq: Int64)
    case resume(id: FrameID?, cursor: String)
    case ping(id: FrameID?)

    public var id: FrameID? {
        switch self {
        case .messageSend(let id, _, _, _, _, _, _), .typing(let id, _, _), .read(let id, _, _), .resume(let id, _), .ping(let id): id
        }
    }
}

extension ClientFrame: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, id
        case conversationID = "conversationId"
        case content, contentType
        case clientMessageID = "clientMessageId"
        case attachmentID = "attachmentId"
        case encrypted, commitment
        case state
        case seq, cursor
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try? container.decodeIfPresent(FrameID.self, forKey: .id)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "message.send":
            let attachmentID = try container.decodeIfPresent(String.self, forKey: .attachmentID)
            let encrypted = try container.decodeIfPresent(EncryptedEnvelope.self, forKey: .encrypted).map {
                EncryptedSend(envelope: $0, commitment: try container.decodeIfPresent(String.self, forKey: .commitment))
            }
            self = .messageSend(
                id: id, conversationID: try container.decode(String.self, forKey: .conversationID),
                // With an attachment the caption may be left out; an encrypted message has none.
                content: attachmentID == nil && encrypted == nil
                    ? try container.decode(String.self, forKey: .content)
                    : try container.decodeIfPresent(String.self, forKey: .content) ?? "",
                contentType: try container.decodeIfPresent(MessageType.self, forKey: .contentType) ?? .text,
                clientMessageID: try container.decodeIfPresent(String.self, forKey: .clientMessageID),
                attachmentID: attachmentID, encrypted: encrypted)
        case "typing":
            self = .typing(
                id: id, conversationID: try container.decode(String.self, forKey: .conversationID),
                state: try container.decode(TypingState.self, forKey: .state))
        case "read":
            self = .read(
                id: id, conversationID: try container.decode(String.self, forKey: .conversationID),
                seq: try container.decode(Int64.self, forKey: .seq))
        case "resume":
            self = .resume(id: id, cursor: try container.decode(String.self, forKey: .cursor))
        case "ping":
            self = .ping(id: id)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "unknown frame type \(type); expected message.send, typing, read, resume or ping")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        switch self {
        case .messageSend(_, let conversationID, let content, let contentType, let clientMessageID, let attachmentID, let encrypted):
            try container.encode("message.send", forKey: .type)
            try container.encode(conversationID, forKey: .conversationID)
            if let encrypted {
                try container.encode(encrypted.envelope, forKey: .encrypted)
                try container.encodeIfPresent(encrypted.commitment, forKey: .commitment)
            } else {
                try container.encode(content, forKey: .content)
            }
            try container.encode(contentType, forKey: .contentType)
            try container.encodeIfPresent(clientMessageID, forKey: .clientMessageID)
            try container.encodeIfPresent(attachmentID, forKey: .attachmentID)
        case .typing(_, let conversationID, let state):
            try container.encode("typing", forKey: .type)
            try container.encode(conversationID, forKey: .conversationID)
            try container.encode(state, forKey: .state)
        case .read(_, let conversationID, let seq):
            try container.encode("read", forKey: .type)
            try container.encode(conversationID, forKey: .conversationID)
            try container.encode(seq, forKey: .seq)
        case .resume(_, let cursor):
            try container.encode("resume", forKey: .type)
            try container.encode(cursor, forKey: .cursor)
        case .ping:
            try container.encode("ping", forKey: .type)
        }
    }
}
