import Hummingbird
import ParleyCore
import ParleyMessaging

/// `GET /api/search`: messages the caller may see, best first, with snippets.
struct SearchController {
    let messaging: MessagingService

    var endpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.get(use: search)
        return routes
    }

    @Sendable func search(_ request: Request, context: ParleyRequestContext) async throws -> SearchResultsBody {
        let principal = try context.requirePrincipal()
        let parameters = QueryParameters(request: request)
        guard let text = request.uri.queryParameters.get("q") else { throw ParleyError.invalid(field: "q", reason: "required") }
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
        return SearchResultsBody(
            results: results.hits.map { hit in
                .init(message: hit.message, conversationId: hit.message.conversationID, snippet: hit.snippet)
            },
            nextCursor: results.nextCursor?.token)
    }
}
