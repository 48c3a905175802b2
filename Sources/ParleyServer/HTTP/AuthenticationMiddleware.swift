import Hummingbird
import ParleyCore

/// Requires `Authorization: Bearer <jwt>` and puts the verified caller in the context.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ParleyRequestContext
    let verifier: TokenVerifier

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        context.principal = try await verifier.verify(try Self.bearerToken(request.headers[.authorization]))
        context.logger[metadataKey: "user"] = "\(context.principal!.userID)"
        return try await next(request, context)
    }

    static func bearerToken(_ header: String?) throws(ParleyError) -> String {
        guard let header else { throw .unauthenticated(reason: "missing bearer token") }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw .unauthenticated(reason: "the Authorization header must be `Bearer <token>`")
        }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}
