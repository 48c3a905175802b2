import Foundation
import Logging
import ParleyCore

/// Delivers one `webhook` outbox item per Standard Webhooks v1: builds the event from the
/// store as it is now, signs it with the webhook's secrets, POSTs it, logs the attempt,
/// and says whether it is finished or when to try again.
struct WebhookDispatcher: Sendable {
    let store: any NotificationStore & ConversationStore & AssistStore
    let sender: NotifyHTTPSender
    let clock: any WallClock
    let logger: Logger
    let metrics: (any OutboxMetrics)?

    func deliver(_ item: OutboxItem) async -> DeliveryOutcome {
        let attempt = item.attempts + 1
        let webhook: Webhook
        let body: [UInt8]
        do {
            guard let found = try await store.webhook(id: item.target), found.disabledAt == nil else { return .finished }
            webhook = found
            guard let built = try await eventBody(item) else {
                logger.notice("webhook event dropped: its conversation is gone", metadata: ["item": "\(item.itemID)"])
                return .finished
            }
            body = built
        } catch {
            logger.warning("could not build a webhook event", metadata: ["item": "\(item.itemID)", "error": "\(error)"])
            return .retry(at: clock.now().adding(.seconds(5)))
        }
        let now = clock.now()
        let timestamp = String(now.millisecondsSince1970 / 1_000)
        let signature: String
        do {
            signature = try WebhookSigner.signature(
                id: item.itemID, timestamp: timestamp, body: body, secrets: webhook.signingSecrets(at: now))
        } catch {
            logger.error("webhook secret unusable; event dropped", metadata: ["webhook": "\(webhook.webhookID)", "error": "\(error)"])
            return .finished
        }
        let answer = await sender.post(
            url: webhook.url,
            headers: [
                ("Content-Type", "application/json"),
                ("webhook-id", item.itemID),
                ("webhook-timestamp", timestamp),
                ("webhook-signature", signature),
            ],
            body: body, timeout: NotifyHTTPSender.defaultTimeout)
        metrics?.recordAttempt(kind: .webhook, answer: answer.status.map(String.init) ?? "error")
        let delivered = answer.isSuccess
        do {
            try await store.recordDelivery(
                WebhookDelivery(
                    webhookID: webhook.webhookID, eventID: item.itemID, eventType: item.eventType ?? .conversationUpdated,
                    attempt: attempt, at: now, status: answer.status, error: delivered ? nil : answer.error,
                    durationMilliseconds: answer.durationMilliseconds))
        } catch {
            logger.warning("could not log a webhook delivery", metadata: ["webhook": "\(webhook.webhookID)", "error": "\(error)"])
        }
        if delivered { return .finished }
        if answer.status == 410 {
            logger.notice("webhook disabled: its receiver answered 410 Gone", metadata: ["webhook": "\(webhook.webhookID)"])
            try? await store.disableWebhook(id: webhook.webhookID, at: now)
            return .finished
        }
        guard let delay = RetrySchedule.webhookDelay(afterAttempt: attempt) else {
            logger.warning(
                "webhook event given up after its last retry",
                metadata: ["webhook": "\(webhook.webhookID)", "item": "\(item.itemID)", "attempts": "\(attempt)"])
            return .finished
        }
        logger.info(
            "webhook delivery failed; will retry",
            metadata: [
                "webhook": "\(webhook.webhookID)", "item": "\(item.itemID)", "attempt": "\(attempt)",
                "status": "\(answer.status.map(String.init) ?? "none")", "error": "\(answer.error ?? "")",
            ])
        return .retry(at: now.adding(delay))
    }

    /// The event's JSON, or nil when its conversation no longer exists.
    func eventBody(_ item: OutboxItem) async throws -> [UInt8]? {
        guard let type = item.eventType,
            let view = try await store.conversationView(id: item.conversationID, for: Principal.assistantID)
        else { return nil }
        let data: WebhookEventData
        switch type {
        case .conversationCreated, .conversationUpdated, .conversationEscalated:
            data = .conversation(view)
        case .messageCreated:
            guard let messageID = item.messageID, let message = try await store.storedMessage(id: messageID) else { return nil }
            data = .message(message)
        case .ticketRequested:
            let page = try await store.messages(
                conversationID: item.conversationID,
                page: MessagePageRequest(anchor: .newest, limit: TicketRequest.messageCount))
            data = .ticket(TicketRequest(conversation: view, ticket: view.conversation.ticket, messages: page.messages))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array(try encoder.encode(WebhookEventBody(type: type, timestamp: item.createdAt, data: data)))
    }
}
