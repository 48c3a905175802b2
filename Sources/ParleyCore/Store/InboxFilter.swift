/// One condition of an inbox query (`ConversationQuery`) on a conversation, for a store
/// to write in its SQL. Every store switches over all cases, so a new filter cannot be
/// forgotten by one of them.
public enum InboxFilter: Sendable, Equatable {
    /// Archived by the viewer (`true`), or not (`false`: the default inbox).
    case archived(Bool)
    case status(ConversationStatus)
    /// Has this label among its labels.
    case label(String)
    case priority(Priority)
    case assignedTo(String)
    case unassigned
    case productID(String)
    case orderID(String)
    /// Escalated (`metadata.escalation` set), or not.
    case escalated(Bool)

    /// The conditions `query` asks for, in a fixed order (a store's statement cache sees
    /// one SQL text per combination).
    public static func conditions(of query: ConversationQuery) -> [InboxFilter] {
        var filters: [InboxFilter] = [.archived(query.archived)]
        if let status = query.status { filters.append(.status(status)) }
        if let label = query.label { filters.append(.label(label)) }
        if let priority = query.priority { filters.append(.priority(priority)) }
        switch query.assignedTo {
        case .user(let userID): filters.append(.assignedTo(userID))
        case .unassigned: filters.append(.unassigned)
        case nil: break
        }
        if let productID = query.productID { filters.append(.productID(productID)) }
        if let orderID = query.orderID { filters.append(.orderID(orderID)) }
        if let escalated = query.escalated { filters.append(.escalated(escalated)) }
        return filters
    }
}
