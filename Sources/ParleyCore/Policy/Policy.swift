/// Who may do what to a conversation: the contract's "Rights", in one place.
///
/// Every check either returns or throws the error the caller must see: `notFound` when
/// the caller may not even see the conversation (its existence is not leaked),
/// `forbidden` when it may see it but its role may not do this.
public enum Policy {
    /// Whether `principal` sees `conversation`: participants, support and service do;
    /// so does a support agent assigned to it.
    public static func canSee(_ principal: Principal, _ conversation: Conversation) -> Bool {
        principal.role.seesEverything || conversation.isParticipant(principal.userID)
            || conversation.assignedTo == principal.userID
    }

    public static func requireVisible(_ principal: Principal, _ conversation: Conversation) throws(ParleyError) {
        guard canSee(principal, conversation) else { throw .notFound(what: "conversation") }
    }

    /// Sending: anyone who sees the conversation; `system` messages from `service` only.
    public static func requireCanSend(_ principal: Principal, _ conversation: Conversation, type: MessageType)
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
    public static func requireCanChange(_ principal: Principal, _ conversation: Conversation, _ change: ConversationChange)
        throws(ParleyError)
    {
        try requireVisible(principal, conversation)
        if case .assignee = change, !principal.role.seesEverything {
            throw .forbidden(reason: "only support and service may change the assignee")
        }
    }

    /// Whether a message from `senderID` reopens a closed conversation: one from a
    /// buyer or seller taking part in it does (its role in the conversation counts, not
    /// its token's); support and service do not.
    public static func reopensClosed(senderID: String, _ conversation: Conversation) -> Bool {
        guard let participant = conversation.participants.first(where: { $0.userID == senderID }) else {
            return false
        }
        return participant.role == .buyer || participant.role == .seller
    }

    /// Creating: a buyer or seller must include itself; support and service create for others.
    public static func requireCanCreate(_ principal: Principal, participants: [Participant]) throws(ParleyError) {
        if !principal.role.seesEverything && !participants.contains(where: { $0.userID == principal.userID }) {
            throw .forbidden(reason: "participants: a buyer or seller must include itself")
        }
    }
}
