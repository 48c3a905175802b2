/// Bodies clients send, as the contract names their fields.

public struct CreateConversationBody: Codable, Sendable {
    public struct ParticipantBody: Codable, Sendable {
        public var userId: String
        public var role: ParticipantRole
        public init(userId: String, role: ParticipantRole) {
            self.userId = userId
            self.role = role
        }
    }

    public struct FirstMessageBody: Codable, Sendable {
        public var content: String
        public var type: MessageType?
        public var clientMessageId: String?
        public init(content: String, type: MessageType? = nil, clientMessageId: String? = nil) {
            self.content = content
            self.type = type
            self.clientMessageId = clientMessageId
        }
    }

    public var participants: [ParticipantBody]
    public var productId: String?
    public var orderId: String?
    public var subject: String?
    public var labels: [String]?
    public var priority: Priority?
    public var message: FirstMessageBody?

    public init(
        participants: [ParticipantBody], productId: String? = nil, orderId: String? = nil, subject: String? = nil,
        labels: [String]? = nil, priority: Priority? = nil, message: FirstMessageBody? = nil
    ) {
        self.participants = participants
        self.productId = productId
        self.orderId = orderId
        self.subject = subject
        self.labels = labels
        self.priority = priority
        self.message = message
    }
}

public struct SendMessageBody: Codable, Sendable {
    public var content: String
    public var type: MessageType?
    public var clientMessageId: String?
    public init(content: String, type: MessageType? = nil, clientMessageId: String? = nil) {
        self.content = content
        self.type = type
        self.clientMessageId = clientMessageId
    }
}

public struct StatusBody: Codable, Sendable {
    public var status: ConversationStatus
    public init(status: ConversationStatus) { self.status = status }
}

public struct LabelsBody: Codable, Sendable {
    public var labels: [String]
    public init(labels: [String]) { self.labels = labels }
}

public struct PriorityBody: Codable, Sendable {
    public var priority: Priority
    public init(priority: Priority) { self.priority = priority }
}

public struct AssigneeBody: Codable, Sendable {
    public var assignedTo: String?
    public init(assignedTo: String?) { self.assignedTo = assignedTo }

    private enum CodingKeys: String, CodingKey { case assignedTo }

    public init(from decoder: any Decoder) throws {
        // `assignedTo` must be present: `null` unassigns, a missing field is a mistake.
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.assignedTo) else {
            throw DecodingError.keyNotFound(
                CodingKeys.assignedTo, .init(codingPath: [], debugDescription: "required (a user id or null)"))
        }
        assignedTo = try container.decodeIfPresent(String.self, forKey: .assignedTo)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(assignedTo, forKey: .assignedTo)
    }
}

public struct ArchiveBody: Codable, Sendable {
    public var archived: Bool
    public init(archived: Bool) { self.archived = archived }
}

public struct ReadBody: Codable, Sendable {
    public var seq: Int64
    public init(seq: Int64) { self.seq = seq }
}

/// Answer of `POST /api/conversations/{id}/read`.
public struct ReadPositionBody: Codable, Sendable {
    public var conversationId: String
    public var userId: String
    public var seq: Int64
    public init(conversationId: String, userId: String, seq: Int64) {
        self.conversationId = conversationId
        self.userId = userId
        self.seq = seq
    }
}

/// Answer of `GET /api/conversations`.
public struct ConversationListBody: Codable, Sendable {
    public var conversations: [ConversationView]
    public var nextCursor: String?
    public init(conversations: [ConversationView], nextCursor: String?) {
        self.conversations = conversations
        self.nextCursor = nextCursor
    }

    private enum CodingKeys: String, CodingKey { case conversations, nextCursor }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(conversations, forKey: .conversations)
        try container.encode(nextCursor, forKey: .nextCursor)  // null, not absent, on the last page
    }
}

/// The contract's error JSON.
public struct ErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var error: Detail
    public init(code: String, message: String) { error = Detail(code: code, message: message) }
}

/// Answer of `GET /api/search`.
public struct SearchResultsBody: Codable, Sendable {
    public struct Result: Codable, Sendable {
        public var message: Message
        public var conversationId: String
        /// The text around the first match, plain text (`…` where cut).
        public var snippet: String
        /// The matched words within `snippet` (UTF-16 ranges), for the client to mark.
        public var highlights: [SearchHighlight]

        public init(message: Message, conversationId: String, snippet: SearchSnippet) {
            self.message = message
            self.conversationId = conversationId
            self.snippet = snippet.text
            self.highlights = snippet.highlights
        }
    }

    public var results: [Result]
    public var nextCursor: String?

    public init(results: [Result], nextCursor: String?) {
        self.results = results
        self.nextCursor = nextCursor
    }

    private enum CodingKeys: String, CodingKey { case results, nextCursor }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(results, forKey: .results)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
