import Hummingbird
import ParleyCore
import ParleyRealtime

/// Authenticates a WebSocket upgrade: `Authorization: Bearer …`, or `?ticket=…` for
/// browsers; and refuses browser origins that are not allowed (cross-site WebSocket
/// hijacking).
struct RealtimeAuthenticationMiddleware: RouterMiddleware {
    typealias Context = ParleyRequestContext
    let verifier: TokenVerifier
    let tickets: any TicketStore
    let allowedOrigins: [String]?
    let clock: any WallClock

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        if let allowedOrigins {
            let host = request.head.authority
            for origin in request.headers[values: .origin] where !Self.originAllowed(origin, host: host, allowList: allowedOrigins) {
                throw ParleyError.forbidden(reason: "origin \(origin) may not open a realtime connection")
            }
        }
        var context = context
        if let header = request.headers[.authorization] {
            context.identity = try await verifier.verify(try AuthenticationMiddleware.bearerToken(header))
        } else if let ticket = request.uri.queryParameters.get("ticket") {
            guard let principal = try await tickets.redeem(ticket, now: clock.now()) else {
                throw ParleyError.unauthenticated(reason: "unknown, used or expired ticket")
            }
            context.identity = principal
        } else {
            throw ParleyError.unauthenticated(reason: "missing bearer token or ticket")
        }
        return try await next(request, context)
    }

    /// Browsers send `http(s)://…` (or `null`) origins: those must be this server's own
    /// origin or on the allow-list. Other values come from non-browser clients, which
    /// cannot be hijacked cross-site, and pass.
    static func originAllowed(_ origin: String, host: String?, allowList: [String]) -> Bool {
        let lowered = origin.lowercased()
        guard lowered == "null" || lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return true }
        if allowList.contains(origin) { return true }
        guard let host else { return false }
        return lowered == "http://\(host.lowercased())" || lowered == "https://\(host.lowercased())"
    }
}
