import Hummingbird
import HummingbirdAuth
import ParleyCore
import ParleyMessaging

/// Requires `Authorization: Bearer <jwt>` and puts the verified caller in the context
/// (hummingbird-auth's `AuthenticatorMiddleware`); support agents are made known to the
/// registry, so they can be assigned.
struct AuthenticationMiddleware: AuthenticatorMiddleware {
    typealias Context = ParleyRequestContext
    let verifier: TokenVerifier
    let agents: SignInRecorder

    func authenticate(request: Request, context: Context) async throws -> Principal? {
        let principal = try await verifier.verify(try Self.bearerToken(request.headers[.authorization]))
        await agents.signedIn(principal)
        return principal
    }

    /// As `AuthenticatorMiddleware`'s, and the caller's id goes into the request's log lines.
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var context = context
        let principal = try await authenticate(request: request, context: context)
        context.identity = principal
        context.logger[metadataKey: "user"] = principal.map { "\($0.userID)" }
        return try await next(request, context)
    }

    /// The token of `Bearer <token>`. Not hummingbird-auth's `headers.bearer`: RFC 9110
    /// makes the scheme case-insensitive (`bearer …` is valid) and tolerates extra
    /// spaces, which that parser refuses. Runs on every request: plain UTF-8 work.
    static func bearerToken(_ header: String?) throws(ParleyError) -> String {
        guard let header else { throw .unauthenticated(reason: "missing bearer token") }
        let utf8 = header.utf8
        guard utf8.count > 7, utf8.prefix(6).map({ $0 | 0x20 }).elementsEqual("bearer".utf8),
            utf8[utf8.index(utf8.startIndex, offsetBy: 6)] == UInt8(ascii: " ")
        else { throw .unauthenticated(reason: "the Authorization header must be `Bearer <token>`") }
        let token = utf8.dropFirst(7).drop { $0 == UInt8(ascii: " ") }
        let trimmed = token.reversed().drop { $0 == UInt8(ascii: " ") }.count
        let result = String(decoding: token.prefix(trimmed), as: UTF8.self)
        guard !result.isEmpty else { throw .unauthenticated(reason: "missing bearer token") }
        return result
    }
}
