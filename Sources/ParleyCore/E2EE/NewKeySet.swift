/// An epoch's key sealed to devices, to store: a new epoch, or (`share`) earlier epochs'
/// keys sealed to the assignee's devices on escalation.
public struct NewKeySet: Sendable {
    public var conversationID: String
    public var epoch: Int64
    public var senderID: String
    public var senderDeviceID: String
    public var sealed: [SealedKey]
    public var share: Bool
    public var now: Timestamp
    /// Leaves to append in the same transaction (a share's `keysShared`).
    public var audit: [AuditRecord]
    /// A new epoch's `keysShared` leaf, without its recipients: when the write finds the
    /// conversation's assignee (not a participant) among the recipients, the store appends
    /// it naming the assignee and its devices (`auditRecords(for:)`). Support reads every
    /// epoch it is sealed to, so each is in the log, not only escalation's share.
    public var assigneeAudit: AuditRecord?

    public init(
        conversationID: String, epoch: Int64, senderID: String, senderDeviceID: String, sealed: [SealedKey], share: Bool,
        now: Timestamp, audit: [AuditRecord] = [], assigneeAudit: AuditRecord? = nil
    ) {
        self.assigneeAudit = assigneeAudit
        self.conversationID = conversationID
        self.epoch = epoch
        self.senderID = senderID
        self.senderDeviceID = senderDeviceID
        self.sealed = sealed
        self.share = share
        self.now = now
        self.audit = audit
    }

    /// The leaves to append with this key set in `conversation` as the write sees it:
    /// `audit`, then `assigneeAudit` completed when the assignee is among the recipients
    /// of a new epoch.
    public func auditRecords(for conversation: Conversation) -> [AuditRecord] {
        guard !share, var record = assigneeAudit, let assignee = conversation.assignedTo, !conversation.isParticipant(assignee)
        else { return audit }
        let devices = sealed.filter { $0.userID.isSameID(as: assignee) }.map(\.deviceID)
        if devices.isEmpty { return audit }
        record.details["recipientUserId"] = .string(assignee)
        record.details["recipientDeviceIds"] = .array(devices.map { .string($0) })
        return audit + [record]
    }
}
