import ParleyCore

/// The audit events of webhook changes (`webhook.created`, `.deleted`, `.rotated`),
/// appended right after the change by its caller: the webhook's id and events, never its
/// secret or address (an address may carry a token).
extension IntegrationsService {
    func auditWebhook(_ action: AuditAction, _ webhookID: String, by principal: Principal, events: [WebhookEventType]? = nil)
        async throws
    {
        guard let audit = store as? any AuditStore else { return }
        var details: [String: AuditValue] = ["webhookId": .string(webhookID)]
        if let events { details["events"] = .array(events.map { .string($0.rawValue) }) }
        _ = try await audit.appendAudit([
            AuditRecord(time: clock.now(), principal: principal, action: action, conversationID: nil, details: details)
        ])
    }
}
