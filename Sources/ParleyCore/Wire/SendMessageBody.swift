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
