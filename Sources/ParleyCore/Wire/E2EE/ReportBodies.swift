/// `POST /api/conversations/{id}/messages/{messageId}/report`: the message's text as the
/// reporter decrypted it, and the franking key (unpadded base64url, 32 bytes) that was
/// inside the ciphertext.
public struct ReportRequestBody: Codable, Sendable {
    public var content: String
    public var franking: String

    public init(content: String, franking: String) {
        self.content = content
        self.franking = franking
    }
}

/// A report as support sees it.
public struct ReportBody: Codable, Sendable, Equatable {
    public var reportId: String
    public var conversationId: String
    public var messageId: String
    public var senderId: String
    public var reporterId: String
    public var content: String
    public var time: Timestamp

    public init(_ report: AbuseReport) {
        reportId = report.reportID
        conversationId = report.conversationID
        messageId = report.messageID
        senderId = report.senderID
        reporterId = report.reporterID
        content = report.content
        time = report.createdAt
    }
}

/// `GET /api/reports`: `{"reports": [...]}`, newest first.
public struct ReportListBody: Codable, Sendable {
    public var reports: [ReportBody]

    public init(reports: [ReportBody]) {
        self.reports = reports
    }
}
