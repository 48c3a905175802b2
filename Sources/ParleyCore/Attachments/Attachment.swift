/// An uploaded file or image: what the server decided about its bytes, where they are
/// kept, and whether a message has carried it yet. Until it is sent (`messageID` nil) it
/// is visible to its uploader only; unsent uploads are removed after
/// ``AttachmentLimits/unsentLifetimeMilliseconds``.
public struct Attachment: Sendable, Hashable {
    public var attachmentID: String
    public var conversationID: String
    public var uploaderID: String
    /// The file name as the uploader gave it (sanitised: ``AttachmentName``).
    public var name: String
    /// Decided from the bytes, never from what the client declared.
    public var contentType: String
    /// Bytes of what is served (for images: after cleaning).
    public var size: Int64
    /// Hex SHA-256 of what is served; also the `ETag`.
    public var sha256: String
    public var width: Int?
    public var height: Int?
    /// The blob store's key for the bytes.
    public var blobKey: String
    /// The blob store's key for the thumbnail; nil for files.
    public var thumbnailKey: String?
    public var thumbnailContentType: String?
    public var createdAt: Timestamp
    /// The message that carried it; nil until sent.
    public var messageID: String?

    public init(
        attachmentID: String, conversationID: String, uploaderID: String, name: String, contentType: String,
        size: Int64, sha256: String, width: Int?, height: Int?, blobKey: String, thumbnailKey: String?,
        thumbnailContentType: String?, createdAt: Timestamp, messageID: String? = nil
    ) {
        self.attachmentID = attachmentID
        self.conversationID = conversationID
        self.uploaderID = uploaderID
        self.name = name
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.width = width
        self.height = height
        self.blobKey = blobKey
        self.thumbnailKey = thumbnailKey
        self.thumbnailContentType = thumbnailContentType
        self.createdAt = createdAt
        self.messageID = messageID
    }

    public var hasThumbnail: Bool { thumbnailKey != nil }
    public var isImage: Bool { contentType.hasPrefix("image/") }

    /// What a message that carries it shows (`attachment` on the wire).
    public var messageAttachment: MessageAttachment {
        MessageAttachment(
            attachmentID: attachmentID, name: name, contentType: contentType, size: size, width: width, height: height,
            sha256: sha256)
    }
}
