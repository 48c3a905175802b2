/// The attachment of an `image` or `file` message, as the message carries it (`attachment`
/// on the wire, and in the message's stored annotations).
public struct MessageAttachment: Sendable, Hashable, Codable {
    public var attachmentID: String
    public var name: String
    public var contentType: String
    public var size: Int64
    public var width: Int?
    public var height: Int?
    public var sha256: String

    public init(attachmentID: String, name: String, contentType: String, size: Int64, width: Int?, height: Int?, sha256: String) {
        self.attachmentID = attachmentID
        self.name = name
        self.contentType = contentType
        self.size = size
        self.width = width
        self.height = height
        self.sha256 = sha256
    }

    private enum CodingKeys: String, CodingKey {
        case attachmentID = "attachmentId"
        case name, contentType, size, width, height, sha256
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        attachmentID = try container.decode(String.self, forKey: .attachmentID)
        name = try container.decode(String.self, forKey: .name)
        contentType = try container.decode(String.self, forKey: .contentType)
        size = try container.decode(Int64.self, forKey: .size)
        width = try container.decodeIfPresent(Int.self, forKey: .width)
        height = try container.decodeIfPresent(Int.self, forKey: .height)
        sha256 = try container.decode(String.self, forKey: .sha256)
    }

    /// Writes `width` and `height` as `null` for files, as the contract shows them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(attachmentID, forKey: .attachmentID)
        try container.encode(name, forKey: .name)
        try container.encode(contentType, forKey: .contentType)
        try container.encode(size, forKey: .size)
        try container.encode(width, forKey: .width)
        try container.encode(height, forKey: .height)
        try container.encode(sha256, forKey: .sha256)
    }
}
