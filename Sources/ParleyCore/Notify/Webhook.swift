/// A registered receiver of events (Standard Webhooks v1).
public struct Webhook: Sendable, Hashable {
    public var webhookID: String
    public var url: String
    public var events: [WebhookEventType]
    /// `whsec_<base64>`: signs every delivery.
    public var secret: String
    /// The secret before the last rotation, which also signs until `previousSecretUntil`.
    public var previousSecret: String?
    public var previousSecretUntil: Timestamp?
    /// Who registered it (a `service` user).
    public var createdBy: String
    public var createdAt: Timestamp
    /// Set when a receiver answered `410 Gone`: nothing more is sent.
    public var disabledAt: Timestamp?

    public init(
        webhookID: String, url: String, events: [WebhookEventType], secret: String, previousSecret: String? = nil,
        previousSecretUntil: Timestamp? = nil, createdBy: String, createdAt: Timestamp, disabledAt: Timestamp? = nil
    ) {
        self.webhookID = webhookID
        self.url = url
        self.events = events
        self.secret = secret
        self.previousSecret = previousSecret
        self.previousSecretUntil = previousSecretUntil
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }

    /// The secrets that sign a delivery made at `now`: the current one, and the previous
    /// one during its 24 hours of grace.
    public func signingSecrets(at now: Timestamp) -> [String] {
        if let previousSecret, let until = previousSecretUntil, now < until { return [secret, previousSecret] }
        return [secret]
    }
}

/// One attempt to deliver an event to a webhook, for `GET /api/webhooks/{id}/deliveries`.
public struct WebhookDelivery: Sendable, Hashable {
    public var webhookID: String
    /// The `webhook-id` header: the outbox item's id, the same on every retry.
    public var eventID: String
    public var eventType: WebhookEventType
    /// 1 for the first attempt.
    public var attempt: Int
    public var at: Timestamp
    /// The receiver's HTTP status, nil when none came (refused, timed out…).
    public var status: Int?
    /// What went wrong, when it did (a short text, never the body).
    public var error: String?
    public var durationMilliseconds: Int64

    public init(
        webhookID: String, eventID: String, eventType: WebhookEventType, attempt: Int, at: Timestamp, status: Int?,
        error: String?, durationMilliseconds: Int64
    ) {
        self.webhookID = webhookID
        self.eventID = eventID
        self.eventType = eventType
        self.attempt = attempt
        self.at = at
        self.status = status
        self.error = error
        self.durationMilliseconds = durationMilliseconds
    }
}
