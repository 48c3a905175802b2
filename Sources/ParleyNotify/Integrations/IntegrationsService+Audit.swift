import ParleyCore

/// The audit events of webhook changes (`webhook.created`, `.deleted`, `.rotated`): the
/// webhook's id and events, never its secret or address (an address may carry a token).
/// The store appends the record in the change's own transaction.
extension IntegrationsService {
    func webhookAudit(_ action: AuditAction, _ webhookID: String, by principal: Principal, events: [WebhookEventType]? = nil)
        -> AuditRecord
    {
        var details: [String: AuditValue] = ["webhookId": .string(webhookID)]
        if let events { details["events"] = .array(events.map { .string($0.rawValue) }) }
        return AuditRecord(time: clock.now(), principal: principal, action: action, conversationID: nil, details: details)
    }
}
