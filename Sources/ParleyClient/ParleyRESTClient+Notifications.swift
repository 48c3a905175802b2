import Foundation
import ParleyCore

/// Web Push subscriptions, webhooks (a `service`'s) and help-desk tickets.
extension ParleyRESTClient {
    // MARK: Web Push

    /// The VAPID public key browsers subscribe with (`503 push_not_configured` without one).
    public func pushKey() async throws -> String {
        let body: PushKeyBody = try await call(.GET, "/api/push/key")
        return body.publicKey
    }

    /// Saves a browser's subscription for the caller; `created` is false when the endpoint
    /// was known already (it now belongs to the caller).
    public func subscribePush(_ subscription: PushSubscriptionBody) async throws -> (subscriptionID: String, created: Bool) {
        let response = try await raw(.POST, "/api/push/subscriptions", body: try JSONEncoder().encode(subscription))
        let body: PushSubscriptionCreatedBody = try Self.decoded(response)
        return (body.subscriptionID, response.status == 201)
    }

    /// The caller's subscriptions, oldest first.
    public func pushSubscriptions() async throws -> [PushSubscriptionListBody.Entry] {
        let body: PushSubscriptionListBody = try await call(.GET, "/api/push/subscriptions")
        return body.subscriptions
    }

    /// Removes one of the caller's subscriptions (404 for anyone else's).
    public func unsubscribePush(_ subscriptionID: String) async throws {
        try await expectNoContent(.DELETE, "/api/push/subscriptions/\(subscriptionID)")
    }

    // MARK: Webhooks

    /// Registers a receiver; the answer carries the secret, shown only now.
    public func registerWebhook(url: String, events: [WebhookEventType]) async throws -> WebhookBody {
        try await call(.POST, "/api/webhooks", body: WebhookRequestBody(url: url, events: events))
    }

    /// Every webhook, without secrets, oldest first.
    public func webhooks() async throws -> [WebhookBody] {
        let body: WebhookListBody = try await call(.GET, "/api/webhooks")
        return body.webhooks
    }

    public func deleteWebhook(_ webhookID: String) async throws {
        try await expectNoContent(.DELETE, "/api/webhooks/\(webhookID)")
    }

    /// A new secret (in the answer); the old one keeps signing for 24 hours.
    public func rotateWebhookSecret(_ webhookID: String) async throws -> WebhookBody {
        try await call(.POST, "/api/webhooks/\(webhookID)/rotate")
    }

    /// Recent delivery attempts, newest first.
    public func webhookDeliveries(_ webhookID: String) async throws -> [WebhookDeliveryListBody.Entry] {
        let body: WebhookDeliveryListBody = try await call(.GET, "/api/webhooks/\(webhookID)/deliveries")
        return body.deliveries
    }

    // MARK: Tickets

    /// Asks for a help-desk ticket (`metadata.ticket`, state `requested`).
    public func requestTicket(_ conversationID: String, reason: String? = nil) async throws -> ConversationView {
        try await call(.POST, "/api/conversations/\(conversationID)/ticket", body: TicketRequestBody(reason: reason))
    }

    /// The help desk's answer (`service`): its ticket id, link and state.
    public func updateTicket(
        _ conversationID: String, ticketID: String, url: String? = nil, state: SupportTicketState
    ) async throws -> ConversationView {
        try await call(
            .PUT, "/api/conversations/\(conversationID)/ticket", body: TicketUpdateBody(ticketID: ticketID, url: url, state: state))
    }

    /// A request answered with no body (204); any other failure status throws.
    private func expectNoContent(_ method: Method, _ path: String) async throws {
        let response = try await raw(method, path)
        guard (200..<300).contains(response.status) else {
            throw ParleyClientError.server(status: response.status, error: response.error)
        }
    }
}
