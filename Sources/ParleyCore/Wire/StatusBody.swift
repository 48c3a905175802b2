public struct StatusBody: Codable, Sendable {
    public var status: ConversationStatus
    public init(status: ConversationStatus) { self.status = status }
}
