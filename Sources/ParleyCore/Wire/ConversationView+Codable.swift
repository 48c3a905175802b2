/// The contract's JSON shape of a Conversation, as one user sees it.
extension ConversationView: Codable {
    private enum CodingKeys: String, CodingKey {
        case conversationID = "conversationId"
        case participants
        case productID = "productId"
        case orderID = "orderId"
        case subject, status, metadata, createdAt
        case lastMessage, unreadCount, archived, lastActivityAt, lastSeq
        case encrypted, e2ee
    }

    private enum MetadataKeys: String, CodingKey { case labels, priority, assignedTo, escalation, ticket }

    private enum ParticipantKeys: String, CodingKey {
        case userID = "userId"
        case role, lastSeen
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let metadata = try container.nestedContainer(keyedBy: MetadataKeys.self, forKey: .metadata)
        var participantsContainer = try container.nestedUnkeyedContainer(forKey: .participants)
        var participants: [Participant] = []
        while !participantsContainer.isAtEnd {
            let participant = try participantsContainer.nestedContainer(keyedBy: ParticipantKeys.self)
            participants.append(
                Participant(
                    userID: try participant.decode(String.self, forKey: .userID),
                    role: try participant.decode(ParticipantRole.self, forKey: .role),
                    lastSeen: try participant.decodeIfPresent(Timestamp.self, forKey: .lastSeen)))
        }
        let createdAt = try container.decode(Timestamp.self, forKey: .createdAt)
        let conversation = Conversation(
            conversationID: try container.decode(String.self, forKey: .conversationID),
            participants: participants,
            productID: try container.decodeIfPresent(String.self, forKey: .productID),
            orderID: try container.decodeIfPresent(String.self, forKey: .orderID),
            subject: try container.decodeIfPresent(String.self, forKey: .subject),
            status: try container.decode(ConversationStatus.self, forKey: .status),
            labels: try metadata.decode([String].self, forKey: .labels),
            priority: try metadata.decode(Priority.self, forKey: .priority),
            assignedTo: try metadata.decodeIfPresent(String.self, forKey: .assignedTo),
            createdAt: createdAt,
            lastActivityAt: try container.decodeIfPresent(Timestamp.self, forKey: .lastActivityAt) ?? createdAt,
            lastSeq: try container.decodeIfPresent(Int64.self, forKey: .lastSeq) ?? 0,
            escalation: try metadata.decodeIfPresent(Escalation.self, forKey: .escalation),
            ticket: try metadata.decodeIfPresent(SupportTicket.self, forKey: .ticket),
            encryption: try container.decodeIfPresent(Bool.self, forKey: .encrypted) == true
                ? try container.decodeIfPresent(ConversationEncryption.self, forKey: .e2ee) ?? ConversationEncryption()
                : nil)
        self.init(
            conversation: conversation,
            lastMessage: try container.decodeIfPresent(Message.self, forKey: .lastMessage),
            unreadCount: try container.decode(Int64.self, forKey: .unreadCount),
            archived: try container.decode(Bool.self, forKey: .archived))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(conversation.conversationID, forKey: .conversationID)
        var participantsContainer = container.nestedUnkeyedContainer(forKey: .participants)
        for participant in conversation.participants {
            var nested = participantsContainer.nestedContainer(keyedBy: ParticipantKeys.self)
            try nested.encode(participant.userID, forKey: .userID)
            try nested.encode(participant.role, forKey: .role)
            try nested.encode(participant.lastSeen, forKey: .lastSeen)
        }
        // Absent values are sent as null, as in the contract's example.
        try container.encode(conversation.productID, forKey: .productID)
        try container.encode(conversation.orderID, forKey: .orderID)
        try container.encode(conversation.subject, forKey: .subject)
        try container.encode(conversation.status, forKey: .status)
        var metadata = container.nestedContainer(keyedBy: MetadataKeys.self, forKey: .metadata)
        try metadata.encode(conversation.labels, forKey: .labels)
        try metadata.encode(conversation.priority, forKey: .priority)
        try metadata.encode(conversation.assignedTo, forKey: .assignedTo)
        try metadata.encodeIfPresent(conversation.escalation, forKey: .escalation)
        try metadata.encodeIfPresent(conversation.ticket, forKey: .ticket)
        try container.encode(conversation.createdAt, forKey: .createdAt)
        // An inbox preview, for whoever looks: never a sentiment or an original text.
        try container.encode(lastMessage?.disclosed(.content), forKey: .lastMessage)
        try container.encode(unreadCount, forKey: .unreadCount)
        try container.encode(archived, forKey: .archived)
        try container.encode(conversation.lastActivityAt, forKey: .lastActivityAt)
        try container.encode(conversation.lastSeq, forKey: .lastSeq)
        // Present only for an encrypted conversation, with its epochs: the newest key set
        // (a device starts the next one), the floor, and whether a rekey is due.
        if let encryption = conversation.encryption {
            try container.encode(true, forKey: .encrypted)
            try container.encode(encryption, forKey: .e2ee)
        }
    }
}
