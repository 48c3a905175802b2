import Foundation
import Logging
import ParleyCore

/// The notification API's commands: browsers' push subscriptions (any signed-in user,
/// its own only) and webhooks (`service` only). Validates every field and says which one
/// is wrong; delivery itself is the `OutboxDrainer`'s.
public struct IntegrationsService: Sendable {
    let store: any NotificationStore
    let push: PushConfiguration?
    let clock: any WallClock
    let logger: Logger
    /// The per-user write rate limit (the messaging service's), called before each write.
    let takeRate: @Sendable (String) throws -> Void

    public init(
        store: any NotificationStore, push: PushConfiguration?, clock: any WallClock, logger: Logger,
        takeRate: @escaping @Sendable (String) throws -> Void
    ) {
        self.store = store
        self.push = push
        self.clock = clock
        self.logger = logger
        self.takeRate = takeRate
    }

    // MARK: Web Push

    /// The VAPID public key, or `push_not_configured`.
    public func pushPublicKey() throws(ParleyError) -> String {
        guard let push else { throw .pushNotConfigured }
        return push.signer.publicKey
    }

    /// Saves the caller's browser subscription (or takes over one with the same endpoint).
    public func subscribe(_ body: PushSubscriptionBody, by principal: Principal) async throws -> (PushSubscription, created: Bool) {
        guard let push else { throw ParleyError.pushNotConfigured }
        try takeRate(principal.userID)
        try await Self.checkEndpoint(body.endpoint, allowInsecure: push.allowInsecure)
        try Self.checkKeys(body.keys)
        let now = clock.now()
        let expiration = try body.expirationTime.map { value throws(ParleyError) -> Int64 in
            guard value.isFinite, value >= 0, value < 1e15 else {
                throw .invalid(field: "expirationTime", reason: "must be null or milliseconds since 1970")
            }
            return Int64(value)
        }
        let (saved, created) = try await store.savePushSubscription(
            PushSubscription(
                subscriptionID: Identifier.make(prefix: "ps", now: now), userID: principal.userID, endpoint: body.endpoint,
                p256dh: body.keys.p256dh, auth: body.keys.auth, expirationTime: expiration, createdAt: now))
        // Oldest first: past the limit, the oldest ones go.
        let mine = try await store.pushSubscriptions(of: principal.userID)
        for stale in mine.dropLast(NotifyLimits.maxSubscriptionsPerUser) where stale.subscriptionID != saved.subscriptionID {
            _ = try await store.deletePushSubscription(id: stale.subscriptionID, userID: principal.userID)
        }
        logger.info(
            "push subscription saved",
            metadata: ["user": "\(principal.userID)", "subscription": "\(saved.subscriptionID)", "created": "\(created)"])
        return (saved, created)
    }

    public func subscriptions(of principal: Principal) async throws -> [PushSubscription] {
        guard push != nil else { throw ParleyError.pushNotConfigured }
        return try await store.pushSubscriptions(of: principal.userID)
    }

    /// Removes one of the caller's subscriptions (404 for anyone else's).
    public func unsubscribe(_ subscriptionID: String, by principal: Principal) async throws {
        guard push != nil else { throw ParleyError.pushNotConfigured }
        try takeRate(principal.userID)
        guard try await store.deletePushSubscription(id: subscriptionID, userID: principal.userID) else {
            throw ParleyError.notFound(what: "subscription")
        }
    }

    static func checkEndpoint(_ endpoint: String, allowInsecure: Bool) async throws(ParleyError) {
        if let refusal = await EndpointPolicy.push(allowInsecure: allowInsecure).refusal(for: endpoint) {
            throw .invalid(field: "endpoint", reason: refusal)
        }
    }

    /// The keys as the encryptor will read them at every push, refused now rather than then.
    static func checkKeys(_ keys: PushSubscriptionBody.Keys) throws(ParleyError) {
        do {
            _ = try WebPushEncryptor.receiverKey(p256dh: keys.p256dh)
        } catch {
            throw .invalid(field: "keys.p256dh", reason: "must be the base64url of an uncompressed P-256 public key (65 bytes)")
        }
        do {
            _ = try WebPushEncryptor.authSecret(auth: keys.auth)
        } catch {
            throw .invalid(field: "keys.auth", reason: "must be the base64url of 16 bytes")
        }
    }

    // MARK: Webhooks

    public func registerWebhook(_ body: WebhookRequestBody, by principal: Principal) async throws -> Webhook {
        try Self.requireService(principal)
        try takeRate(principal.userID)
        // Any http(s) address, the marketplace's own network included (the contract): the
        // receiver is configured by the marketplace's backend, not by its users.
        try Validation.httpURL(body.url, field: "url")
        guard !body.events.isEmpty else { throw ParleyError.invalid(field: "events", reason: "name at least one event") }
        var events: [WebhookEventType] = []
        for event in body.events where !events.contains(event) { events.append(event) }
        guard try await store.webhooks().count < NotifyLimits.maxWebhooks else {
            throw ParleyError.conflict(reason: "at most \(NotifyLimits.maxWebhooks) webhooks; delete one first")
        }
        let now = clock.now()
        let webhook = Webhook(
            webhookID: Identifier.make(prefix: "wh", now: now), url: body.url, events: events,
            secret: WebhookSigner.newSecret(), createdBy: principal.userID, createdAt: now)
        try await store.saveWebhook(webhook, audit: [webhookAudit(.webhookCreated, webhook.webhookID, by: principal, events: events)])
        logger.notice(
            "webhook registered",
            metadata: ["webhook": "\(webhook.webhookID)", "by": "\(principal.userID)", "url": "\(URLRedaction.redact(body.url))"])
        return webhook
    }

    public func webhooks(by principal: Principal) async throws -> [Webhook] {
        try Self.requireService(principal)
        return try await store.webhooks()
    }

    public func deleteWebhook(_ id: String, by principal: Principal) async throws {
        try Self.requireService(principal)
        try takeRate(principal.userID)
        guard try await store.deleteWebhook(id: id, audit: [webhookAudit(.webhookDeleted, id, by: principal)]) else {
            throw ParleyError.notFound(what: "webhook")
        }
        logger.notice("webhook deleted", metadata: ["webhook": "\(id)", "by": "\(principal.userID)"])
    }

    /// A new secret; the old one keeps signing for 24 h (receivers switch meanwhile).
    public func rotateWebhookSecret(_ id: String, by principal: Principal) async throws -> Webhook {
        try Self.requireService(principal)
        try takeRate(principal.userID)
        guard
            let webhook = try await store.rotateWebhookSecret(
                id: id, newSecret: WebhookSigner.newSecret(), previousUntil: clock.now().adding(NotifyLimits.rotationGrace),
                audit: [webhookAudit(.webhookRotated, id, by: principal)])
        else { throw ParleyError.notFound(what: "webhook") }
        logger.notice("webhook secret rotated", metadata: ["webhook": "\(id)", "by": "\(principal.userID)"])
        return webhook
    }

    public func deliveries(ofWebhook id: String, by principal: Principal) async throws -> [WebhookDelivery] {
        try Self.requireService(principal)
        guard try await store.webhook(id: id) != nil else { throw ParleyError.notFound(what: "webhook") }
        return try await store.deliveries(webhookID: id, limit: NotifyLimits.deliveriesListed)
    }

    static func requireService(_ principal: Principal) throws(ParleyError) {
        guard principal.role == .service else { throw .forbidden(reason: "only a service manages webhooks") }
    }
}
