/// The body of `POST /api/conversations/{conversationId}/messages/{messageId}/report`: the
/// decrypted content and the franking key from inside the ciphertext, which the server
/// checks against the message's commitment and its own receipt.
public struct MessageReportBody: Codable, Sendable, Hashable {
    public var content: String
    /// The 32-byte franking key, unpadded base64url.
    public var franking: String
    /// Why the recipient reports it (optional).
    public var reason: String?

    public init(content: String, franking: String, reason: String? = nil) {
        self.content = content
        self.franking = franking
        self.reason = reason
    }
}
