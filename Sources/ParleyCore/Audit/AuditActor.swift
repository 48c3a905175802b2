/// Who does a write that the audit log records: a request's principal, or the server
/// itself. The stores put it in the leaf they append inside the write's transaction.
public struct AuditActor: Sendable, Hashable {
    /// A user id, or `AuditRecord.systemActor`.
    public var id: String
    /// `Role.rawValue`, or `AuditRecord.systemRole`.
    public var role: String

    public init(id: String, role: String) {
        self.id = id
        self.role = role
    }

    /// The caller of a request.
    public init(_ principal: Principal) {
        self.init(id: principal.userID, role: principal.role.rawValue)
    }

    /// The server's own decisions (an escalation by sentiment, a seeded conversation).
    public static let system = AuditActor(id: AuditRecord.systemActor, role: AuditRecord.systemRole)

    /// A record of `action` by this actor.
    public func record(
        _ action: AuditAction, conversationID: String?, at time: Timestamp, details: [String: AuditValue] = [:]
    ) -> AuditRecord {
        AuditRecord(time: time, actor: id, role: role, action: action, conversationID: conversationID, details: details)
    }
}
