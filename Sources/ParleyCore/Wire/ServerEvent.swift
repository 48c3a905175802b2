/// An event the server pushes to WebSocket clients (the contract's "Server to client").
///
/// A `message.new` carries its commit position as a `ResumeCursor` (an integer); it
/// becomes the opaque `cursor` string only when the frame is encoded.
public enum ServerEvent: Sendable {
    case messageNew(message: Message, cursor: ResumeCursor)
    case conversationUpdated(ConversationView)
    case typing(conversationID: String, userID: String, state: TypingState)
    case read(conversationID: String, userID: String, seq: Int64)
    case presence(userID: String, state: PresenceState, lastSeen: Timestamp?)
    /// A conversation was handed to a person: to every connected support user.
    case escalated(ConversationView)
    /// A user registered, replaced or retired a device (`devices.changed`): to the users
    /// who share a conversation with it and to its own connections.
    case devicesChanged(userID: String)
}

extension ServerEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, message, cursor, conversation
        case conversationID = "conversationId"
        case userID = "userId"
        case state, seq
        case lastSeen
    }

    public var typeName: String {
        switch self {
        case .messageNew: "message.new"
        case .conversationUpdated: "conversation.updated"
        case .typing: "typing"
        case .read: "read"
        case .presence: "presence"
        case .escalated: "escalated"
        case .devicesChanged: "devices.changed"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(typeName, forKey: .type)
        switch self {
        case .messageNew(let message, let cursor):
            try container.encode(message, forKey: .message)
            try container.encode(cursor.token, forKey: .cursor)
        case .conversationUpdated(let view), .escalated(let view):
            try container.encode(view, forKey: .conversation)
        case .typing(let conversationID, let userID, let state):
            try container.encode(conversationID, forKey: .conversationID)
            try container.encode(userID, forKey: .userID)
            try container.encode(state, forKey: .state)
        case .read(let conversationID, let userID, let seq):
            try container.encode(conversationID, forKey: .conversationID)
            try container.encode(userID, forKey: .userID)
            try container.encode(seq, forKey: .seq)
        case .devicesChanged(let userID):
            try container.encode(userID, forKey: .userID)
        case .presence(let userID, let state, let lastSeen):
            try container.encode(userID, forKey: .userID)
            try container.encode(state, forKey: .state)
            try container.encode(lastSeen, forKey: .lastSeen)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "message.new":
            let token = try container.decode(String.self, forKey: .cursor)
            guard let cursor = ResumeCursor(token: token) else {
                throw DecodingError.dataCorruptedError(forKey: .cursor, in: container, debugDescription: "not a resume cursor")
            }
            self = .messageNew(message: try container.decode(Message.self, forKey: .message), cursor: cursor)
        case "conversation.updated":
            self = .conversationUpdated(try container.decode(ConversationView.self, forKey: .conversation))
        case "escalated":
            self = .escalated(try container.decode(ConversationView.self, forKey: .conversation))
        case "typing":
            self = .typing(
                conversationID: try container.decode(String.self, forKey: .conversationID),
                userID: try container.decode(String.self, forKey: .userID),
                state: try container.decode(TypingState.self, forKey: .state))
        case "read":
            self = .read(
                conversationID: try container.decode(String.self, forKey: .conversationID),
                userID: try container.decode(String.self, forKey: .userID),
                seq: try container.decode(Int64.self, forKey: .seq))
        case "presence":
            self = .presence(
                userID: try container.decode(String.self, forKey: .userID),
                state: try container.decode(PresenceState.self, forKey: .state),
                lastSeen: try container.decodeIfPresent(Timestamp.self, forKey: .lastSeen))
        case "devices.changed":
            self = .devicesChanged(userID: try container.decode(String.self, forKey: .userID))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown event \(type)")
        }
    }
}
