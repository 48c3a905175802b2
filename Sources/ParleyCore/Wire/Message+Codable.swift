/// The contract's JSON shape of a Message.
extension Message: Codable {
    private enum CodingKeys: String, CodingKey {
        case messageID = "messageId"
        case conversationID = "conversationId"
        case seq
        case senderID = "senderId"
        case content, timestamp, readBy, type
        case clientMessageID = "clientMessageId"
        case templateID = "templateId"
        case auto, sentiment, masked, originalContent, attachment, encrypted, commitment, receipt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            messageID: try container.decode(String.self, forKey: .messageID),
            conversationID: try container.decode(String.self, forKey: .conversationID),
            seq: try container.decode(Int64.self, forKey: .seq),
            senderID: try container.decode(String.self, forKey: .senderID),
            content: try container.decode(String.self, forKey: .content),
            timestamp: try container.decode(Timestamp.self, forKey: .timestamp),
            readBy: try container.decode([String].self, forKey: .readBy),
            type: try container.decode(MessageType.self, forKey: .type),
            clientMessageID: try container.decodeIfPresent(String.self, forKey: .clientMessageID),
            annotations: MessageAnnotations(
                templateID: try container.decodeIfPresent(String.self, forKey: .templateID),
                auto: try container.decodeIfPresent(AutoAnswerMark.self, forKey: .auto),
                sentiment: try container.decodeIfPresent(Sentiment.self, forKey: .sentiment),
                masked: try container.decodeIfPresent([MaskedContact].self, forKey: .masked),
                originalContent: try container.decodeIfPresent(String.self, forKey: .originalContent),
                attachment: try container.decodeIfPresent(MessageAttachment.self, forKey: .attachment),
                encrypted: try container.decodeIfPresent(EncryptedEnvelope.self, forKey: .encrypted),
                commitment: try container.decodeIfPresent(String.self, forKey: .commitment),
                receipt: try container.decodeIfPresent(String.self, forKey: .receipt)))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messageID, forKey: .messageID)
        try container.encode(conversationID, forKey: .conversationID)
        try container.encode(seq, forKey: .seq)
        try container.encode(senderID, forKey: .senderID)
        try container.encode(content, forKey: .content)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(readBy, forKey: .readBy)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(clientMessageID, forKey: .clientMessageID)
        try container.encodeIfPresent(annotations.templateID, forKey: .templateID)
        try container.encodeIfPresent(annotations.auto, forKey: .auto)
        try container.encodeIfPresent(annotations.sentiment, forKey: .sentiment)
        try container.encodeIfPresent(annotations.masked, forKey: .masked)
        try container.encodeIfPresent(annotations.originalContent, forKey: .originalContent)
        try container.encodeIfPresent(annotations.attachment, forKey: .attachment)
        try container.encodeIfPresent(annotations.encrypted, forKey: .encrypted)
        try container.encodeIfPresent(annotations.commitment, forKey: .commitment)
        try container.encodeIfPresent(annotations.receipt, forKey: .receipt)
    }
}

extension MessagePage: Codable {
    private enum CodingKeys: String, CodingKey { case messages, hasMore }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            messages: try container.decode([Message].self, forKey: .messages),
            hasMore: try container.decode(Bool.self, forKey: .hasMore))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messages, forKey: .messages)
        try container.encode(hasMore, forKey: .hasMore)
    }
}
