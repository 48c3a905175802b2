/// Who is asking for an inbox, and what it wants in it.
public struct ConversationQuery: Sendable, Equatable {
    public enum AssigneeFilter: Sendable, Equatable {
        case user(String)
        case unassigned
    }

    public var viewerID: String
    /// Whether the viewer sees every conversation (support and service).
    public var viewerSeesEverything: Bool
    public var status: ConversationStatus?
    public var label: String?
    public var priority: Priority?
    public var assignedTo: AssigneeFilter?
    public var productID: String?
    public var orderID: String?
    /// Only conversations handed to a person (`true`), or only the others (`false`).
    public var escalated: Bool?
    public var archived: Bool
    public var limit: Int
    public var cursor: InboxCursor?

    public init(
        viewerID: String, viewerSeesEverything: Bool, status: ConversationStatus? = nil, label: String? = nil,
        priority: Priority? = nil, assignedTo: AssigneeFilter? = nil, productID: String? = nil, orderID: String? = nil,
        escalated: Bool? = nil, archived: Bool = false, limit: Int = Limits.defaultPageSize, cursor: InboxCursor? = nil
    ) {
        self.viewerID = viewerID
        self.viewerSeesEverything = viewerSeesEverything
        self.status = status
        self.label = label
        self.priority = priority
        self.assignedTo = assignedTo
        self.productID = productID
        self.orderID = orderID
        self.escalated = escalated
        self.archived = archived
        self.limit = limit
        self.cursor = cursor
    }
}
