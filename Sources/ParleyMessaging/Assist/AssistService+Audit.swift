import ParleyCore

/// The audit events of FAQ changes (`faq.created`, `.updated`, `.deleted`), appended
/// right after the change: the entry's id, scope and owner, never its question or answer.
extension AssistService {
    func auditFAQ(_ action: AuditAction, _ entry: FAQEntry, by principal: Principal) async throws {
        var details: [String: AuditValue] = ["faqId": .string(entry.faqID), "scope": .string(entry.scope.rawValue)]
        if let owner = entry.ownerID { details["ownerId"] = .string(owner) }
        try await AuditRecorder(store: store).record(
            AuditRecord(time: clock.now(), principal: principal, action: action, conversationID: nil, details: details))
    }
}
