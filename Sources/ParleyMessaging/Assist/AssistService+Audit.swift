import ParleyCore

/// The audit events of FAQ changes (`faq.created`, `.updated`, `.deleted`): the entry's
/// id, scope and owner, never its question or answer. The store appends the record in
/// the change's own transaction.
extension AssistService {
    func faqAudit(_ action: AuditAction, _ entry: FAQEntry, by principal: Principal) -> AuditRecord {
        var details: [String: AuditValue] = ["faqId": .string(entry.faqID), "scope": .string(entry.scope.rawValue)]
        if let owner = entry.ownerID { details["ownerId"] = .string(owner) }
        return AuditRecord(time: clock.now(), principal: principal, action: action, conversationID: nil, details: details)
    }
}
