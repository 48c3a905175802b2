import Foundation
import ParleyCore

/// Help-desk tickets (`metadata.ticket`): a person (or an escalation) asks for one, which
/// queues the signed `ticket.requested` webhook in the same write; the help desk answers
/// with its ticket id and state, and a `solved` or `closed` ticket closes the
/// conversation with a `system` message naming it.
extension MessagingService {
    /// `POST …/ticket`: any participant, support or service. Asking again while a ticket
    /// is being handled (`requested`, `open`, `pending`) changes nothing and returns the
    /// conversation; after `solved` or `closed` it asks for a new one.
    public func requestTicket(_ id: String, reason: String?, by principal: Principal) async throws -> ConversationView {
        try rateLimiter.take(principal.userID)
        let reason = try Self.ticketReason(reason)
        let before = try await visibleConversation(id, for: principal)
        if let current = before.ticket, !current.state.closesConversation {
            return try await conversation(id, for: principal)
        }
        try await requestTicket(before, reason: reason, by: principal.userID)
        return try await conversation(id, for: principal)
    }

    /// `PUT …/ticket` (`service`): the help desk's ticket id, link and state.
    public func updateTicket(
        _ id: String, ticketID: String, url: String?, state: SupportTicketState, by principal: Principal
    ) async throws -> ConversationView {
        try rateLimiter.take(principal.userID)
        guard principal.role == .service else { throw ParleyError.forbidden(reason: "only the help desk (a service) updates a ticket") }
        let ticketID = ticketID.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !ticketID.isEmpty, ticketID.count <= Limits.maxTicketIDCharacters else {
            throw ParleyError.invalid(field: "ticketId", reason: "must be 1 to \(Limits.maxTicketIDCharacters) characters")
        }
        if let url { try Validation.httpURL(url, field: "url") }
        if state == .requested {
            throw ParleyError.invalid(field: "state", reason: "must be open, pending, solved or closed (requested is Parley's)")
        }
        let before = try await visibleConversation(id, for: principal)
        let now = clock.now()
        var ticket = before.ticket ?? SupportTicket(state: state, requestedAt: now, requestedBy: principal.userID, reason: nil)
        ticket.state = state
        ticket.ticketID = ticketID
        ticket.url = url ?? ticket.url
        ticket.updatedAt = now
        var after = try await store.updateConversation(id: id, change: .ticket(ticket), now: now)
        logger.info(
            "ticket updated", metadata: ["conversation": "\(id)", "ticket": "\(ticketID)", "state": "\(state.rawValue)"])
        // Decided from the conversation, not from the ticket's previous state: the three
        // writes (ticket, system message, status) are not one transaction, and a `PUT`
        // retried after a failure between them finds the ticket already solved and must
        // still close the conversation. The system message is idempotent by its client
        // message id, so a retry does not post a second one.
        if state.closesConversation, after.status != .closed {
            _ = try await store.appendMessage(
                NewMessage(
                    messageID: Identifier.make(prefix: "m"), conversationID: id, senderID: principal.userID,
                    content: "Ticket \(ticketID) \(state.rawValue): this conversation is closed.", type: .system,
                    clientMessageID: Self.ticketClosingMessageID(ticketID), now: now),
                authorize: nil,
                afterCommit: { result in
                    if result.created { announce(result) }
                })
            after = try await store.updateConversation(id: id, change: .status(.closed), now: now, actor: AuditActor(principal))
        }
        await publishUpdate(after)
        return try await conversation(id, for: principal)
    }

    /// After an escalation, with `--ticket-on-escalation`: a ticket asked for by the
    /// assistant, unless one is already being handled.
    func requestTicketOnEscalation(_ id: String, reason: EscalationReason) async {
        do {
            guard let conversation = try await store.conversation(id: id) else { return }
            if let current = conversation.ticket, !current.state.closesConversation { return }
            try await requestTicket(conversation, reason: "escalated: \(reason.rawValue)", by: Principal.assistantID)
        } catch {
            logger.warning("could not request a ticket on escalation", metadata: ["conversation": "\(id)", "error": "\(error)"])
        }
    }

    private func requestTicket(_ conversation: Conversation, reason: String?, by requester: String) async throws {
        let now = clock.now()
        let ticket = SupportTicket(state: .requested, requestedAt: now, requestedBy: requester, reason: reason)
        let after = try await store.updateConversation(id: conversation.conversationID, change: .ticket(ticket), now: now)
        logger.notice("ticket requested", metadata: ["conversation": "\(conversation.conversationID)", "by": "\(requester)"])
        await publishUpdate(after)
    }

    /// After a read moved: the `read` push, when a message it covers was pushed.
    func queueReadPush(_ id: String, seq: Int64, by userID: String) async {
        guard let pushReads else { return }
        do {
            _ = try await pushReads.enqueueReadPush(userID: userID, conversationID: id, seq: seq, now: clock.now())
        } catch {
            logger.warning("could not queue a read push", metadata: ["conversation": "\(id)", "error": "\(error)"])
        }
    }

    /// The client message id of the system message that closes a conversation for
    /// `ticketID`: one such message per ticket, however often the help desk retries.
    static func ticketClosingMessageID(_ ticketID: String) -> String { "parley-ticket-closed:" + ticketID }

    static func ticketReason(_ reason: String?) throws(ParleyError) -> String? {
        guard let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= Limits.maxTicketReasonCharacters else {
            throw .invalid(field: "reason", reason: "longer than \(Limits.maxTicketReasonCharacters) characters")
        }
        return trimmed
    }
}
