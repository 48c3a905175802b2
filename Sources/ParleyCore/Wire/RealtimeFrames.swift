/// The `id` a client puts on a frame, echoed in the answer: a string or a number.
public enum FrameID: Codable, Sendable, Hashable {
    case string(String)
    case number(Double)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number):
            if number == number.rounded(), abs(number) < 9e15 { try container.encode(Int64(number)) } else { try container.encode(number) }
        }
    }
}

/// A frame a client sends (the contract's "Client to server").
public enum ClientFrame: Sendable, Equatable {
    case messageSend(id: FrameID?, conversationID: String, content: String, contentType: MessageType, clientMessageID: String?)
    case typing(id: FrameID?, conversationID: String, state: TypingState)
    case read(id: FrameID?, conversationID: String, seq: Int64)
    case resume(id: FrameID?, cursor: String)
    case ping(id: FrameID?)

    public var id: FrameID? {
        switch self {
        case .messageSend(let id, _, _, _, _), .typing(let id, _, _), .read(let id, _, _), .resume(let id, _), .ping(let id): id
        }
    }
}

extension ClientFrame: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, id, conversationID = "conversationId", content, contentType, clientMessageID = "clientMessageId", state
        case seq, cursor
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try? container.decodeIfPresent(FrameID.self, forKey: .id)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "message.send":
            self = .messageSend(
                id: id, conversationID: try container.decode(String.self, forKey: .conversationID),
                content: try container.decode(String.self, forKey: .content),
                contentType: try container.decodeIfPresent(MessageType.self, forKey: .contentType) ?? .text,
                clientMessageID: try container.decodeIfPresent(String.self, forKey: .clientMessageID))
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
        case .messageSend(_, let conversationID, let content, let contentType, let clientMessageID):
            try container.encode("message.send", forKey: .type)
            try container.encode(conversationID, forKey: .conversationID)
            try container.encode(content, forKey: .content)
            try container.encode(contentType, forKey: .contentType)
            try container.encodeIfPresent(clientMessageID, forKey: .clientMessageID)
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

/// Any frame the server sends: an event, or the answer to a client's frame.
public enum ServerFrame: Sendable {
    case event(ServerEvent)
    case ack(id: FrameID?, message: Message)
    case error(id: FrameID?, error: ErrorBody.Detail)
    case pong(id: FrameID?)
    case resumed(id: FrameID?)
}

extension ServerFrame: Codable {
    private enum CodingKeys: String, CodingKey { case type, id, message, error }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decodeIfPresent(FrameID.self, forKey: .id)
        switch try container.decode(String.self, forKey: .type) {
        case "ack": self = .ack(id: id, message: try container.decode(Message.self, forKey: .message))
        case "error": self = .error(id: id, error: try container.decode(ErrorBody.Detail.self, forKey: .error))
        case "pong": self = .pong(id: id)
        case "resumed": self = .resumed(id: id)
        default: self = .event(try ServerEvent(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .event(let event):
            try event.encode(to: encoder)
        case .ack(let id, let message):
            try container.encode("ack", forKey: .type)
            try container.encodeIfPresent(id, forKey: .id)
            try container.encode(message, forKey: .message)
        case .error(let id, let error):
            try container.encode("error", forKey: .type)
            try container.encodeIfPresent(id, forKey: .id)
            try container.encode(error, forKey: .error)
        case .pong(let id):
            try container.encode("pong", forKey: .type)
            try container.encodeIfPresent(id, forKey: .id)
        case .resumed(let id):
            try container.encode("resumed", forKey: .type)
            try container.encodeIfPresent(id, forKey: .id)
        }
    }
}
