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
