/// The answer to an upload (`201`): the attachment as the server decided it.
public struct AttachmentBody: Codable, Sendable, Equatable {
    public var attachmentId: String
    public var conversationId: String
    public var name: String
    public var contentType: String
    public var size: Int64
    public var sha256: String
    public var width: Int?
    public var height: Int?
    public var hasThumbnail: Bool

    public init(_ attachment: Attachment) {
        attachmentId = attachment.attachmentID
        conversationId = attachment.conversationID
        name = attachment.name
        contentType = attachment.contentType
        size = attachment.size
        sha256 = attachment.sha256
        width = attachment.width
        height = attachment.height
        hasThumbnail = attachment.hasThumbnail
    }

    private enum CodingKeys: String, CodingKey {
        case attachmentId, conversationId, name, contentType, size, sha256, width, height, hasThumbnail
    }

    /// Writes `width` and `height` as `null` for files, as the contract shows them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(attachmentId, forKey: .attachmentId)
        try container.encode(conversationId, forKey: .conversationId)
        try container.encode(name, forKey: .name)
        try container.encode(contentType, forKey: .contentType)
        try container.encode(size, forKey: .size)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(width, forKey: .width)
        try container.encode(height, forKey: .height)
        try container.encode(hasThumbnail, forKey: .hasThumbnail)
    }
}

/// The answer to `POST /api/attachments/{id}/link`.
public struct AttachmentLinkBody: Codable, Sendable, Equatable {
    public var url: String
    public var expiresAt: Timestamp

    public init(url: String, expiresAt: Timestamp) {
        self.url = url
        self.expiresAt = expiresAt
    }
}
