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
