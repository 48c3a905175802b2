/// One event for the audit log, before the store gives it its index.
///
/// The store appends it in the same transaction as the change it records and writes
/// its leaf as `AuditLeaf.canonicalJSON(index:record:)`. It never holds message text.
public struct AuditRecord: Sendable, Equatable {
    public var time: Timestamp
    /// Who did it: a user id, or `"parley"` for the server's own decisions.
    public var actor: String
    /// The actor's role (`Role.rawValue`), or `"system"` for the server.
    public var role: String
    public var action: AuditAction
    public var conversationID: String?
    public var details: [String: AuditValue]

    public init(
        time: Timestamp, actor: String, role: String, action: AuditAction, conversationID: String?,
        details: [String: AuditValue] = [:]
    ) {
        self.time = time
        self.actor = actor
        self.role = role
        self.action = action
        self.conversationID = conversationID
        self.details = details
    }

    /// The actor of a request.
    public init(
        time: Timestamp, principal: Principal, action: AuditAction, conversationID: String?,
        details: [String: AuditValue] = [:]
    ) {
        self.init(
            time: time, actor: principal.userID, role: principal.role.rawValue, action: action,
            conversationID: conversationID, details: details)
    }

    /// The server's own decision (an escalation by sentiment, say).
    public static let systemActor = "parley"
    public static let systemRole = "system"
}

/// What an audit leaf records (`action` in the leaf).
public enum AuditAction: String, Sendable, Equatable, CaseIterable {
    case conversationCreated = "conversation.created"
    case participantsChanged = "conversation.participants"
    case statusChanged = "conversation.status"
    case assigneeChanged = "conversation.assignee"
    case priorityChanged = "conversation.priority"
    case labelsChanged = "conversation.labels"
    case escalated = "conversation.escalated"
    /// A `support` agent who takes no part in the conversation read it.
    case supportRead = "conversation.read_by_support"
    case exported = "conversation.exported"
    /// An attachment downloaded by `support`.
    case attachmentDownloaded = "attachment.downloaded"
    /// Epoch keys sealed to an agent's devices on escalation (`"share": true`).
    case keysShared = "e2ee.keys_shared"
    case deviceRegistered = "e2ee.device_registered"
    case deviceRetired = "e2ee.device_retired"
    case messageReported = "message.reported"
    case webhookCreated = "webhook.created"
    case webhookDeleted = "webhook.deleted"
    case webhookRotated = "webhook.rotated"
    case faqCreated = "faq.created"
    case faqUpdated = "faq.updated"
    case faqDeleted = "faq.deleted"
}

/// A JSON value in an audit leaf's `details`: no fractions, so every writer agrees
/// on its text.
public indirect enum AuditValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case null
    case array([AuditValue])
    case object([String: AuditValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// `.string`, or `.null` for `nil`.
    public static func optional(_ value: String?) -> AuditValue { value.map(AuditValue.string) ?? .null }
}
