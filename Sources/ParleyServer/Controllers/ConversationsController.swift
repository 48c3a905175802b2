import Hummingbird
import ParleyCore
import ParleyMessaging

/// `/api/conversations` and one conversation's status, labels, priority, assignee and
/// archive flag: REST in, the application's commands out.
struct ConversationsController {
    let messaging: MessagingService

    var endpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.post(use: create)
        routes.get(use: list)
        routes.get(":conversationId", use: show)
        routes.put(":conversationId/status") { request, context in
            try await change(context, .status(try await request.decode(as: StatusBody.self, context: context).status))
        }
        routes.put(":conversationId/labels") { request, context in
            try await change(context, .labels(try await request.decode(as: LabelsBody.self, context: context).labels))
        }
        routes.put(":conversationId/priority") { request, context in
            try await change(context, .priority(try await request.decode(as: PriorityBody.self, context: context).priority))
        }
        routes.put(":conversationId/assignee") { request, context in
            try await change(context, .assignee(try await request.decode(as: AssigneeBody.self, context: context).assignedTo))
        }
        routes.put(":conversationId/archive", use: archive)
        return routes
    }

    @Sendable func create(_ request: Request, context: ParleyRequestContext) async throws -> EditedResponse<ConversationView> {
        let body = try await request.decode(as: CreateConversationBody.self, context: context)
        let result = try await messaging.createConversation(body.command(), by: try context.requirePrincipal())
        return EditedResponse(status: result.created ? .created : .ok, response: result.view)
    }

    @Sendable func list(_ request: Request, context: ParleyRequestContext) async throws -> ConversationListBody {
        let page = try await messaging.listConversations(try Self.inboxQuery(request, for: try context.requirePrincipal()))
        return ConversationListBody(conversations: page.conversations, nextCursor: page.nextCursor?.token)
    }

    @Sendable func show(_ request: Request, context: ParleyRequestContext) async throws -> ConversationView {
        try await messaging.readConversation(try context.conversationID(), for: try context.requirePrincipal())
    }

    @Sendable func archive(_ request: Request, context: ParleyRequestContext) async throws -> ConversationView {
        let body = try await request.decode(as: ArchiveBody.self, context: context)
        return try await messaging.setArchived(
            try context.conversationID(), archived: body.archived, by: try context.requirePrincipal())
    }

    private func change(_ context: ParleyRequestContext, _ change: ConversationChange) async throws -> ConversationView {
        try await messaging.change(try context.conversationID(), change, by: try context.requirePrincipal())
    }

    static func inboxQuery(_ request: Request, for principal: Principal) throws(ParleyError) -> ConversationQuery {
        let query = QueryParameters(request: request)
        var assignee: ConversationQuery.AssigneeFilter?
        if let assignedTo = try query.id("assignedTo") {
            assignee = assignedTo == "none" ? .unassigned : .user(assignedTo)
        }
        var cursor: InboxCursor?
        if let token = try query.string("cursor") {
            guard let parsed = InboxCursor(token: token) else {
                throw .invalid(field: "cursor", reason: "not a cursor this server gave out")
            }
            cursor = parsed
        }
        return ConversationQuery(
            viewerID: principal.userID,
            viewerSeesEverything: principal.role.seesEverything,
            status: try query.choice("status", as: ConversationStatus.self),
            label: try query.label("label"),
            priority: try query.choice("priority", as: Priority.self),
            assignedTo: assignee,
            productID: try query.id("productId"),
            orderID: try query.id("orderId"),
            escalated: try query.boolean("escalated"),
            archived: try query.boolean("archived") ?? false,
            limit: try query.pageLimit(default: Limits.defaultPageSize, maximum: Limits.maxPageSize),
            cursor: cursor)
    }
}
