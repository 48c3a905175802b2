/// Who may do what to a conversation: the contract's "Rights", in one place.
///
/// Every check either returns or throws the error the caller must see: `notFound` when
/// the caller may not even see the conversation (its existence is not leaked),
/// `forbidden` when it may see it but its role may not do this.
public enum Policy {
    /// Whether `principal` sees `conversation`: participants, support and service do.
    /// Being named the assignee grants nothing by itself: only a `support` token is
    /// assigned (`requireAssignable`), and support sees everything already. Ids are
    /// compared as bytes (`OpaqueID`), as the stores compare them.
    public static func canSee(_ principal: Principal, _ conversation: Conversation) -> Bool {
        principal.role.seesEverything || conversation.isParticipant(principal.userID)
    }

    public static func requireVisible(_ principal: Principal, _ conversation: Conversation) throws(ParleyError) {
        guard canSee(principal, conversation) else { throw .notFound(what: "conversation") }
    }

    /// Sending: anyone who sees the conversation; `system` messages from `service` only.
    public static func requireCanSend(
        _ principal: Principal, _ conversation: Conversation, type: MessageType
    )
        throws(ParleyError)
    {
        try requireVisible(principal, conversation)
        try requireCanPost(principal, type: type)
    }

    /// Only `service` posts `system` messages.
    public static func requireCanPost(_ principal: Principal, type: MessageType) throws(ParleyError) {
        if type == .system && principal.role != .service {
            throw .forbidden(reason: "only the service role may post system messages")
        }
    }

    /// Status, labels, priority: any participant, support and service. Assignee: support
    /// and service only.
    public static func requireCanChange(
        _ principal: Principal, _ conversation: Conversation, _ change: ConversationChange
    )
        throws(ParleyError)
    {
        try requireVisible(principal, conversation)
        if case .assignee = change, !principal.role.seesEverything {
            throw .forbidden(reason: "only support and service may change the assignee")
        }
        if case .escalate = change { throw .forbidden(reason: "only the server escalates a conversation") }
        if case .ticket = change { throw .forbidden(reason: "tickets change through /ticket only") }
    }

    /// Whether a message from `senderID` reopens a closed conversation: one from a
    /// buyer or seller taking part in it does (its role in the conversation counts, not
    /// its token's); support and service do not.
    public static func reopensClosed(senderID: String, _ conversation: Conversation) -> Bool {
        let role = conversation.role(of: senderID)
        return role == .buyer || role == .seller
    }

    /// Creating: a buyer or seller must include itself; support and service create for
    /// others. Participants are buyers and sellers: support joins a conversation by
    /// assignment, so nobody can declare someone (or itself) support of a thread.
    public static func requireCanCreate(_ principal: Principal, participants: [Participant]) throws(ParleyError) {
        if let index = participants.firstIndex(where: { $0.role != .buyer && $0.role != .seller }) {
            throw .invalid(
                field: "participants[\(index)].role", reason: "must be buyer or seller (support joins by assignment)")
        }
        if !principal.role.seesEverything && !participants.contains(where: { $0.userID.isSameID(as: principal.userID) }) {
            throw .forbidden(reason: "participants: a buyer or seller must include itself")
        }
    }

    /// Assigning: the assignee must be known as a support agent (a user whose token said
    /// `support`), since assignment makes it hear the conversation's events.
    public static func requireAssignable(isKnownAgent: Bool) throws(ParleyError) {
        guard isKnownAgent else {
            throw .invalid(
                field: "assignedTo",
                reason: "not a known support agent (an agent is known once it has signed in with a support token)")
        }
    }
}
