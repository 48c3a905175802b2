import Hummingbird
import ParleyCore
import ParleyMessaging
import ParleyNotify

/// Web Push (`/api/push/…`), webhooks (`/api/webhooks/…`) and help-desk tickets
/// (`/api/conversations/{id}/ticket`): REST in, the commands of `IntegrationsService`
/// and `MessagingService` out.
struct NotificationsController {
    let integrations: IntegrationsService
    let messaging: MessagingService

    var pushEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.get("key") { _, _ in
            PushKeyBody(publicKey: try integrations.pushPublicKey())
        }
        routes.post("subscriptions") { request, context in
            let body = try await request.decode(as: PushSubscriptionBody.self, context: context)
            let (subscription, created) = try await integrations.subscribe(body, by: try context.requirePrincipal())
            return EditedResponse(
                status: created ? .created : .ok, response: PushSubscriptionCreatedBody(subscriptionID: subscription.subscriptionID))
        }
        routes.get("subscriptions") { _, context in
            let subscriptions = try await integrations.subscriptions(of: try context.requirePrincipal())
            return PushSubscriptionListBody(
                subscriptions: subscriptions.map {
                    .init(subscriptionID: $0.subscriptionID, endpoint: $0.endpoint, createdAt: $0.createdAt)
                })
        }
        routes.delete("subscriptions/:subscriptionId") { _, context in
            try await integrations.unsubscribe(
                try context.pathID("subscriptionId", what: "subscription"), by: try context.requirePrincipal())
            return HTTPResponse.Status.noContent
        }
        return routes
    }

    var webhookEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.post { request, context in
            let body = try await request.decode(as: WebhookRequestBody.self, context: context)
            let webhook = try await integrations.registerWebhook(body, by: try context.requirePrincipal())
            return EditedResponse(status: .created, response: WebhookBody(webhook, showingSecret: true))
        }
        routes.get { _, context in
            let webhooks = try await integrations.webhooks(by: try context.requirePrincipal())
            return WebhookListBody(webhooks: webhooks.map { WebhookBody($0, showingSecret: false) })
        }
        routes.delete(":webhookId") { _, context in
            try await integrations.deleteWebhook(try Self.webhookID(context), by: try context.requirePrincipal())
            return HTTPResponse.Status.noContent
        }
        routes.post(":webhookId/rotate") { _, context in
            let webhook = try await integrations.rotateWebhookSecret(try Self.webhookID(context), by: try context.requirePrincipal())
            return WebhookBody(webhook, showingSecret: true)
        }
        routes.get(":webhookId/deliveries") { _, context in
            let deliveries = try await integrations.deliveries(ofWebhook: try Self.webhookID(context), by: try context.requirePrincipal())
            return WebhookDeliveryListBody(deliveries: deliveries.map(WebhookDeliveryListBody.Entry.init))
        }
        return routes
    }

    /// Under `/api/conversations`.
    var ticketEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.post(":conversationId/ticket") { request, context in
            let body = try await request.decode(as: TicketRequestBody.self, context: context)
            return try await messaging.requestTicket(
                try context.conversationID(), reason: body.reason, by: try context.requirePrincipal())
        }
        routes.put(":conversationId/ticket") { request, context in
            let body = try await request.decode(as: TicketUpdateBody.self, context: context)
            return try await messaging.updateTicket(
                try context.conversationID(), ticketID: body.ticketID, url: body.url, state: body.state,
                by: try context.requirePrincipal())
        }
        return routes
    }

    private static func webhookID(_ context: ParleyRequestContext) throws(ParleyError) -> String {
        try context.pathID("webhookId", what: "webhook")
    }
}
