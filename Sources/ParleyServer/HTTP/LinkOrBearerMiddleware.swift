import Hummingbird
import ParleyCore

/// For attachment downloads: a request with a signed link's query (`signature`) passes
/// without a token, and the route verifies the link (403 when it fails); any other
/// request needs `Authorization: Bearer` as the rest of the API does.
struct LinkOrBearerMiddleware: RouterMiddleware {
    typealias Context = ParleyRequestContext
    let bearer: AuthenticationMiddleware

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        if request.uri.queryParameters["signature"] != nil || request.uri.queryParameters["expires"] != nil {
            return try await next(request, context)
        }
        return try await bearer.handle(request, context: context, next: next)
    }
}
