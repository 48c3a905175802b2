/// `POST /api/push/subscriptions`: the browser's `PushSubscription.toJSON()`.
public struct PushSubscriptionBody: Codable, Sendable {
    public struct Keys: Codable, Sendable {
        public var p256dh: String
        public var auth: String
        public init(p256dh: String, auth: String) {
            self.p256dh = p256dh
            self.auth = auth
        }
    }

    public var endpoint: String
    /// Milliseconds since 1970, or null (most browsers).
    public var expirationTime: Double?
    public var keys: Keys

    public init(endpoint: String, expirationTime: Double? = nil, keys: Keys) {
        self.endpoint = endpoint
        self.expirationTime = expirationTime
        self.keys = keys
    }
}

/// The answer to a subscription: `{"subscriptionId"}`.
public struct PushSubscriptionCreatedBody: Codable, Sendable {
    public var subscriptionID: String
    public init(subscriptionID: String) { self.subscriptionID = subscriptionID }
    private enum CodingKeys: String, CodingKey { case subscriptionID = "subscriptionId" }
}

/// `GET /api/push/subscriptions`: the caller's subscriptions (never their keys).
public struct PushSubscriptionListBody: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        public var subscriptionID: String
        public var endpoint: String
        public var createdAt: Timestamp
        public init(subscriptionID: String, endpoint: String, createdAt: Timestamp) {
            self.subscriptionID = subscriptionID
            self.endpoint = endpoint
            self.createdAt = createdAt
        }
        private enum CodingKeys: String, CodingKey {
            case subscriptionID = "subscriptionId"
            case endpoint, createdAt
        }
    }

    public var subscriptions: [Entry]
    public init(subscriptions: [Entry]) { self.subscriptions = subscriptions }
}
