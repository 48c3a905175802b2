import Hummingbird
import ParleyCore
import ParleyMessaging

/// `/api/conversations/{id}/messages` and `/read`: a conversation's history, sending,
/// and the caller's read position.
struct MessagesController {
    let messaging: MessagingService
    let assist: AssistService

    var endpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.get(":conversationId/messages", use: history)
        routes.post(":conversationId/messages", use: send)
        routes.post(":conversationId/read", use: read)
        return routes
    }

    @Sendable func history(_ request: Request, context: ParleyRequestContext) async throws -> MessagePage {
        let query = QueryParameters(request: request)
        let limit = try query.pageLimit(default: Limits.defaultPageSize, maximum: Limits.maxPageSize)
        let anchor: MessagePageRequest.Anchor
        switch (try query.integer("before"), try query.integer("after")) {
        case (.some, .some): throw ParleyError.invalid(field: "before", reason: "cannot be combined with after")
        case (let before?, nil): anchor = .before(before)
        case (nil, let after?): anchor = .after(after)
        case (nil, nil): anchor = .newest
        }
        return try await messaging.messages(
            try context.conversationID(), page: MessagePageRequest(anchor: anchor, limit: limit),
            for: try context.requirePrincipal())
    }

    /// 201 with the stored message, or 200 with the earlier one of the same `clientMessageId`.
    @Sendable func send(_ request: Request, context: ParleyRequestContext) async throws -> EditedResponse<Message> {
        let body = try await request.decode(as: SendMessageBody.self, context: context)
        let result: AppendMessageResult
        if let templateID = body.templateId {
            // Send by template: rendered here, recorded on the message.
            if body.content != nil { throw ParleyError.invalid(field: "content", reason: "cannot be combined with templateId") }
            result = try await assist.sendTemplate(
                templateID, in: try context.conversationID(), values: body.values ?? [:], clientMessageID: body.clientMessageId,
                by: try context.requirePrincipal())
        } else {
            let command = SendMessage(conversationID: try context.conversationID(), draft: try body.draft())
            result = try await messaging.send(command, by: try context.requirePrincipal())
        }
        // The sender's own message: never its sentiment (the contract), nor an original text.
        return EditedResponse(status: result.created ? .created : .ok, response: result.message.disclosed(.content))
    }

    @Sendable func read(_ request: Request, context: ParleyRequestContext) async throws -> ReadPositionBody {
        let principal = try context.requirePrincipal()
        let body = try await request.decode(as: ReadBody.self, context: context)
        let id = try context.conversationID()
        let position = try await messaging.markRead(id, seq: body.seq, by: principal)
        return ReadPositionBody(conversationId: id, userId: principal.userID, seq: position)
    }
}
