/// A browser's Web Push subscription (`PushSubscription.toJSON()`), owned by one user.
public struct PushSubscription: Sendable, Hashable {
    public var subscriptionID: String
    public var userID: String
    /// The push service's URL for this browser: untrusted (it came from a user).
    public var endpoint: String
    /// The browser's P-256 public key, unpadded base64url of the uncompressed point.
    public var p256dh: String
    /// The browser's 16-byte authentication secret, unpadded base64url.
    public var auth: String
    /// Milliseconds since 1970 when the browser said the subscription ends, if it did.
    public var expirationTime: Int64?
    public var createdAt: Timestamp

    public init(
        subscriptionID: String, userID: String, endpoint: String, p256dh: String, auth: String, expirationTime: Int64?,
        createdAt: Timestamp
    ) {
        self.subscriptionID = subscriptionID
        self.userID = userID
        self.endpoint = endpoint
        self.p256dh = p256dh
        self.auth = auth
        self.expirationTime = expirationTime
        self.createdAt = createdAt
    }
}
