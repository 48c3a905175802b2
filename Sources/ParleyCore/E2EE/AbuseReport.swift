/// A recipient's report of an encrypted message: the text it revealed, proven to be what
/// the sender sent (its franking key opened the commitment the server signed on receipt).
public struct AbuseReport: Sendable, Hashable {
    public var reportID: String
    public var conversationID: String
    public var messageID: String
    public var senderID: String
    public var reporterID: String
    public var content: String
    public var createdAt: Timestamp

    public init(
        reportID: String, conversationID: String, messageID: String, senderID: String, reporterID: String, content: String,
        createdAt: Timestamp
    ) {
        self.reportID = reportID
        self.conversationID = conversationID
        self.messageID = messageID
        self.senderID = senderID
        self.reporterID = reporterID
        self.content = content
        self.createdAt = createdAt
    }
}
