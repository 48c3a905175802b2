import ParleyCore

/// The audit events of reading: a `support` agent who takes no part in a conversation
/// (neither a participant nor its assignee) and reads it — the conversation or its
/// messages — leaves `conversation.read_by_support`, at most once per agent,
/// conversation and `AuditThrottle.window` on each node.
extension MessagingService {
    var audit: AuditRecorder { AuditRecorder(store: store, throttle: auditThrottle) }

    /// The conversation as `principal` sees it, for `GET /api/conversations/{id}`: a read
    /// the audit log records when a support agent from outside the conversation makes it.
    public func readConversation(_ id: String, for principal: Principal) async throws -> ConversationView {
        let conversation = try await visibleConversation(id, for: principal)
        try await auditSupportRead(conversation, by: principal)
        guard let view = try await store.conversationView(id: conversation.conversationID, for: principal.userID) else {
            throw ParleyError.notFound(what: "conversation")
        }
        return view
    }

    /// Appends `conversation.read_by_support` when `principal` is a support agent who
    /// takes no part in `conversation` (throttled, see the type's comment).
    func auditSupportRead(_ conversation: Conversation, by principal: Principal) async throws {
        guard principal.role == .support, !conversation.isParticipant(principal.userID),
            !(conversation.assignedTo?.isSameID(as: principal.userID) ?? false)
        else { return }
        let record = AuditRecord(
            time: clock.now(), principal: principal, action: .supportRead, conversationID: conversation.conversationID)
        try await audit.record(record, onceWithinWindow: "read\u{0}\(principal.userID)\u{0}\(conversation.conversationID)")
    }
}
