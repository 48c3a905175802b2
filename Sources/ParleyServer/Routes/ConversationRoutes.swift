import Hummingbird
import ParleyCore
import ParleyMessaging

/// The conversation and message endpoints of the contract, under `/api`.
struct ConversationRoutes {
    let messaging: MessagingService

    func add(to api: RouterGroup<ParleyRequestContext>) {
        api.post("conversations") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(CreateConversationBody.self, from: request)
            let result = try await messaging.createConversation(body.command, by: principal)
            return JSONBody.response(result.view, status: result.created ? .created : .ok)
        }
        api.get("conversations") { request, context in
            let principal = try context.requirePrincipal()
            let query = try Self.inboxQuery(request, for: principal)
            let page = try await messaging.listConversations(query)
            return JSONBody.response(ConversationListBody(conversations: page.conversations, nextCursor: page.nextCursor?.token))
        }
        api.get("conversations/:conversationId") { _, context in
            let principal = try context.requirePrincipal()
            return JSONBody.response(try await messaging.conversation(try Self.conversationID(context), for: principal))
        }
        api.get("conversations/:conversationId/messages") { request, context in
            let principal = try context.requirePrincipal()
            let query = QueryParameters(request: request)
            let limit = try query.pageLimit(default: Limits.defaultPageSize, maximum: Limits.maxPageSize)
            let before = try query.integer("before")
            let after = try query.integer("after")
            let anchor: MessagePageRequest.Anchor
            switch (before, after) {
            case (.some, .some): throw ParleyError.invalid(field: "before", reason: "cannot be combined with after")
            case (let before?, nil): anchor = .before(before)
            case (nil, let after?): anchor = .after(after)
            case (nil, nil): anchor = .newest
            }
            let page = try await messaging.messages(
                try Self.conversationID(context), page: MessagePageRequest(anchor: anchor, limit: limit), for: principal)
            return JSONBody.response(page)
        }
        api.post("conversations/:conversationId/messages") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(SendMessageBody.self, from: request)
            let command = SendMessage(conversationID: try Self.conversationID(context), draft: body.draft)
            let result = try await messaging.send(command, by: principal)
            return JSONBody.response(result.message, status: result.created ? .created : .ok)
        }
        api.put("conversations/:conversationId/status") { request, context in
            let body = try await JSONBody.decode(StatusBody.self, from: request)
            return try await change(context, .status(body.status))
        }
        api.put("conversations/:conversationId/labels") { request, context in
            let body = try await JSONBody.decode(LabelsBody.self, from: request)
            return try await change(context, .labels(body.labels))
        }
        api.put("conversations/:conversationId/priority") { request, context in
            let body = try await JSONBody.decode(PriorityBody.self, from: request)
            return try await change(context, .priority(body.priority))
        }
        api.put("conversations/:conversationId/assignee") { request, context in
            let body = try await JSONBody.decode(AssigneeBody.self, from: request)
            return try await change(context, .assignee(body.assignedTo))
        }
        api.put("conversations/:conversationId/archive") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(ArchiveBody.self, from: request)
            return JSONBody.response(
                try await messaging.setArchived(try Self.conversationID(context), archived: body.archived, by: principal))
        }
        api.post("conversations/:conversationId/read") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(ReadBody.self, from: request)
            let id = try Self.conversationID(context)
            let position = try await messaging.markRead(id, seq: body.seq, by: principal)
            return JSONBody.response(ReadPositionBody(conversationId: id, userId: principal.userID, seq: position))
        }
    }

    /// `GET /api/search`.
    func addSearch(to api: RouterGroup<ParleyRequestContext>) {
        api.get("search") { request, context in
            let principal = try context.requirePrincipal()
            let parameters = QueryParameters(request: request)
            guard let text = request.uri.queryParameters.get("q") else {
                throw ParleyError.invalid(field: "q", reason: "required")
            }
            var offset = 0
            if let token = try parameters.string("cursor") {
                guard let cursor = SearchCursor(token: token) else {
                    throw ParleyError.invalid(field: "cursor", reason: "not a cursor this server gave out")
                }
                offset = cursor.offset
            }
            let query = SearchQuery(
                viewerID: principal.userID, viewerSeesEverything: principal.role.seesEverything, terms: [],
                conversationID: try parameters.id("conversationId"), senderID: try parameters.id("senderId"),
                from: try parameters.time("from"), to: try parameters.time("to"),
                limit: try parameters.pageLimit(default: Limits.defaultSearchPageSize, maximum: Limits.maxSearchPageSize),
                offset: offset)
            let results = try await messaging.search(text, query: query, by: principal)
            return JSONBody.response(
                SearchResultsBody(
                    results: results.hits.map { hit in
                        .init(message: hit.message, conversationId: hit.message.conversationID, snippet: hit.snippet)
                    },
                    nextCursor: results.nextCursor?.token))
        }
    }

    private func change(_ context: ParleyRequestContext, _ change: ConversationChange) async throws -> Response {
        let principal = try context.requirePrincipal()
        return JSONBody.response(try await messaging.change(try Self.conversationID(context), change, by: principal))
    }

    static func conversationID(_ context: ParleyRequestContext) throws(ParleyError) -> String {
        guard let id = context.parameters.get("conversationId"), !id.isEmpty, id.utf8.count <= Limits.maxExternalIDBytes else {
            throw .notFound(what: "conversation")
        }
        return id
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
            archived: try query.boolean("archived") ?? false,
            limit: try query.pageLimit(default: Limits.defaultPageSize, maximum: Limits.maxPageSize),
            cursor: cursor)
    }
}
