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

    public init(
        conversationID: String, epoch: Int64, senderID: String, senderDeviceID: String, sealed: [SealedKey], share: Bool,
        now: Timestamp, audit: [AuditRecord] = []
    ) {
        self.conversationID = conversationID
        self.epoch = epoch
        self.senderID = senderID
        self.senderDeviceID = senderDeviceID
        self.sealed = sealed
        self.share = share
        self.now = now
        self.audit = audit
    }
}
