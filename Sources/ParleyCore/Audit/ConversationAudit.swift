/// The audit records of the conversation writes, the same for both stores, which append
/// them in the write's own transaction. Ids, roles and states only: never message text.
public enum ConversationAudit {
    /// `conversation.created`: the participants, what the conversation is about, and
    /// whether it is end-to-end encrypted.
    public static func created(_ request: NewConversation) -> AuditRecord {
        var details: [String: AuditValue] = [
            "participants": .array(
                request.participants.map { .object(["userId": .string($0.userID), "role": .string($0.role.rawValue)]) }),
            "priority": .string(request.priority.rawValue),
            "labels": .array(request.labels.map(AuditValue.string)),
            "encrypted": .bool(request.encrypted),
        ]
        if let productID = request.productID { details["productId"] = .string(productID) }
        if let orderID = request.orderID { details["orderId"] = .string(orderID) }
        if let subject = request.subject { details["subject"] = .string(subject) }
        return request.auditActor.record(
            .conversationCreated, conversationID: request.conversationID, at: request.now, details: details)
    }

    /// The record of `change` applied to `before`, or `nil` when it records nothing (a
    /// ticket's progress, kept by the help desk). Call it only for a change that took effect.
    public static func change(
        _ change: ConversationChange, to before: Conversation, by actor: AuditActor, at now: Timestamp
    ) -> AuditRecord? {
        let id = before.conversationID
        switch change {
        case .status(let status):
            return actor.record(
                .statusChanged, conversationID: id, at: now,
                details: ["from": .string(before.status.rawValue), "to": .string(status.rawValue)])
        case .labels(let labels):
            return actor.record(
                .labelsChanged, conversationID: id, at: now,
                details: ["from": .array(before.labels.map(AuditValue.string)), "to": .array(labels.map(AuditValue.string))])
        case .priority(let priority):
            return actor.record(
                .priorityChanged, conversationID: id, at: now,
                details: ["from": .string(before.priority.rawValue), "to": .string(priority.rawValue)])
        case .assignee(let assignee):
            return actor.record(
                .assigneeChanged, conversationID: id, at: now,
                details: ["from": .optional(before.assignedTo), "to": .optional(assignee)])
        case .escalate(let escalation):
            var details: [String: AuditValue] = [
                "reason": .string(escalation.reason.rawValue),
                "priority": .object(["from": .string(before.priority.rawValue), "to": .string(Priority.high.rawValue)]),
            ]
            if let messageID = escalation.messageID { details["messageId"] = .string(messageID) }
            return actor.record(.escalated, conversationID: id, at: now, details: details)
        case .ticket:
            return nil
        }
    }
}
