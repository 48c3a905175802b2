/// `POST /api/webhooks`: where to deliver which events.
public struct WebhookRequestBody: Codable, Sendable {
    public var url: String
    public var events: [WebhookEventType]
    public init(url: String, events: [WebhookEventType]) {
        self.url = url
        self.events = events
    }
}

/// A webhook as the API shows it; `secret` only when it was just made (registration,
/// rotation): it is never shown again.
public struct WebhookBody: Codable, Sendable {
    public var webhookID: String
    public var url: String
    public var events: [WebhookEventType]
    public var secret: String?
    public var createdAt: Timestamp
    /// Set when a receiver answered `410` and deliveries stopped.
    public var disabledAt: Timestamp?

    public init(_ webhook: Webhook, showingSecret: Bool) {
        webhookID = webhook.webhookID
        url = webhook.url
        events = webhook.events
        secret = showingSecret ? webhook.secret : nil
        createdAt = webhook.createdAt
        disabledAt = webhook.disabledAt
    }

    private enum CodingKeys: String, CodingKey {
        case webhookID = "webhookId"
        case url, events, secret, createdAt, disabledAt
    }
}

/// `GET /api/webhooks`.
public struct WebhookListBody: Codable, Sendable {
    public var webhooks: [WebhookBody]
    public init(webhooks: [WebhookBody]) { self.webhooks = webhooks }
}

/// `GET /api/webhooks/{id}/deliveries`: recent attempts, newest first.
public struct WebhookDeliveryListBody: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        public var eventID: String
        public var type: WebhookEventType
        public var attempt: Int
        public var at: Timestamp
        /// The receiver's status; null when none came.
        public var status: Int?
        public var error: String?
        public var durationMs: Int64

        public init(_ delivery: WebhookDelivery) {
            eventID = delivery.eventID
            type = delivery.eventType
            attempt = delivery.attempt
            at = delivery.at
            status = delivery.status
            error = delivery.error
            durationMs = delivery.durationMilliseconds
        }

        private enum CodingKeys: String, CodingKey {
            case eventID = "eventId"
            case type, attempt, at, status, error, durationMs
        }
    }

    public var deliveries: [Entry]
    public init(deliveries: [Entry]) { self.deliveries = deliveries }
}
