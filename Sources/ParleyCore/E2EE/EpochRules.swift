/// The rules of epochs, checked by both stores inside the write that stores a key set or
/// a message (so two devices starting the same epoch at once cannot both win).
///
/// - A new key set's epoch is exactly the newest + 1 (the first is 1). An epoch that
///   exists already is `409 stale_epoch` (another device started it first: fetch its
///   key); a gap is `400 epoch`.
/// - A share (`"share": true`) re-seals an existing epoch (1…newest) to the assignee's
///   devices only.
/// - After a participant left (`rekeyRequired`), the next key set raises the floor to its
///   epoch: messages in older epochs are then `409 stale_epoch`.
/// - A conversation has at most `E2EELimits.maxEpochsPerConversation` epochs (then
///   `409 conflict`).
/// - A message's epoch must have a key set (1…newest, else `400 encrypted.epoch`) and
///   not lie below the floor.
public enum EpochRules {
    /// The conversation's encryption state after storing `set`, or why it is refused.
    public static func apply(_ set: NewKeySet, to conversation: Conversation) throws(ParleyError) -> ConversationEncryption {
        guard var state = conversation.encryption else {
            throw .invalid(field: "conversationId", reason: "the conversation is not end-to-end encrypted")
        }
        // Only participants hold the keys to start an epoch or to share one.
        guard conversation.isParticipant(set.senderID) else {
            throw .forbidden(reason: "only participants start epochs and share keys")
        }
        if set.share {
            guard set.epoch >= 1 && set.epoch <= state.epoch else {
                throw .invalid(
                    field: "epoch",
                    reason: state.epoch == 0
                        ? "no epoch has a key set yet: nothing to share"
                        : "a share re-seals an existing epoch, 1 to \(state.epoch)")
            }
            for (index, sealed) in set.sealed.enumerated() {
                try checkRecipient(sealed.userID, at: index, share: true, in: conversation)
            }
            return state
        }
        if set.epoch <= state.epoch {
            throw .staleEpoch(
                reason: "epoch \(set.epoch) has a key set already (the newest is \(state.epoch)): fetch it, or start \(state.epoch + 1)")
        }
        guard set.epoch == state.epoch + 1 else {
            throw .invalid(field: "epoch", reason: "the next epoch is \(state.epoch + 1)")
        }
        if set.epoch > E2EELimits.maxEpochsPerConversation {
            throw .conflict(
                reason:
                    "at most \(E2EELimits.maxEpochsPerConversation) epochs per conversation: this one has them all; start a new encrypted conversation")
        }
        for (index, sealed) in set.sealed.enumerated() {
            try checkRecipient(sealed.userID, at: index, share: false, in: conversation)
        }
        state.epoch = set.epoch
        if state.rekeyRequired {
            state.floor = set.epoch
            state.rekeyRequired = false
        }
        return state
    }

    /// Whether a message encrypted in `epoch` may be stored now.
    public static func checkMessage(epoch: Int64, in conversation: Conversation) throws(ParleyError) {
        guard let state = conversation.encryption else {
            throw .invalid(field: "encrypted", reason: "the conversation is not end-to-end encrypted: send content")
        }
        guard epoch >= 1 && epoch <= state.epoch else {
            throw .invalid(
                field: "encrypted.epoch",
                reason: state.epoch == 0 ? "no key set was posted yet (POST …/keys)" : "no key set for epoch \(epoch) (the newest is \(state.epoch))")
        }
        if epoch < state.floor {
            throw .staleEpoch(reason: "epoch \(epoch) ended when a participant left: encrypt with epoch \(state.floor) or newer")
        }
    }

    /// Whether `userID`, listed at `index` of a key set, may receive it: a member for a new
    /// epoch, the assignee only for a share. The service checks this before it looks a
    /// recipient's devices up (so a key set tells nothing of outsiders' devices), the
    /// stores again inside the write.
    public static func checkRecipient(_ userID: String, at index: Int, share: Bool, in conversation: Conversation)
        throws(ParleyError)
    {
        if share {
            guard let assignee = conversation.assignedTo else {
                throw .invalid(field: "share", reason: "the conversation has no assignee to share with")
            }
            if !userID.isSameID(as: assignee) {
                throw .invalid(field: "sealed[\(index)].userId", reason: "a share goes to the assignee's devices only")
            }
        } else if !isMember(userID, of: conversation) {
            throw .invalid(field: "sealed[\(index)].userId", reason: "not a participant or the assignee of the conversation")
        }
    }

    /// Participants and the assignee: who may hold a conversation's keys.
    public static func isMember(_ userID: String, of conversation: Conversation) -> Bool {
        if conversation.isParticipant(userID) { return true }
        if let assignee = conversation.assignedTo, assignee.isSameID(as: userID) { return true }
        return false
    }
}
