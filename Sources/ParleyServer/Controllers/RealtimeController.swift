import Hummingbird
import HummingbirdWebSocket
import ParleyCore
import ParleyMessaging
import ParleyRealtime

/// `POST /api/realtime/tickets` and the WebSocket at `GET /api/realtime`.
struct RealtimeRoutes {
    let messaging: MessagingService
    /// Where the connections register for deliveries.
    let hub: Hub
    let presence: PresenceService
    let tickets: any TicketStore
    let verifier: TokenVerifier
    let allowedOrigins: [String]?
    /// Support agents signing in over the WebSocket become assignable, as over REST.
    let agents: SupportAgentRegistry
    let metrics: ServerMetrics
    let clock: any WallClock

    /// Under the authenticated `/api` group.
    func addTickets(to api: RouterGroup<ParleyRequestContext>) {
        api.post("realtime/tickets") { _, context in
            let principal = try context.requirePrincipal()
            try messaging.admitWrite(by: principal)
            let ticket = try await tickets.issue(for: principal, now: clock.now())
            return JSONBody.response(["ticket": ticket])
        }
    }

    /// On the router itself: the upgrade authenticates by header or ticket.
    func addWebSocket(to router: Router<ParleyRequestContext>) {
        let messaging = messaging
        let hub = hub
        let presence = presence
        let metrics = metrics
        let clock = clock
        let agents = agents
        router.group("api/realtime")
            .add(middleware: RealtimeAuthenticationMiddleware(
                verifier: verifier, tickets: tickets, allowedOrigins: allowedOrigins, clock: clock))
            .ws { request, _ in
                // A plain GET (no upgrade) would otherwise be answered with an empty 200
                // (found by schemathesis, scripts/schemathesis.sh).
                guard request.headers[.upgrade]?.lowercased().contains("websocket") == true else {
                    throw ParleyError.invalid(field: "Upgrade", reason: "GET /api/realtime is a WebSocket: send Upgrade: websocket")
                }
                if let cursor = request.uri.queryParameters.get("cursor"), cursor.count > 64 {
                    throw ParleyError.invalid(field: "cursor", reason: "not a cursor this server gave out")
                }
                return .upgrade([:])
            } onUpgrade: { inbound, outbound, context in
                guard let principal = context.requestContext.principal else { return }
                await agents.signedIn(principal)
                let connection = RealtimeConnection(
                    principal: principal, messaging: messaging, presence: presence, metrics: metrics, clock: clock,
                    logger: context.logger, channel: context.requestContext.channel)
                try await connection.run(
                    inbound: inbound, outbound: outbound, hub: hub,
                    resumeCursor: context.request.uri.queryParameters.get("cursor"))
            }
    }
}

/// Authenticates a WebSocket upgrade: `Authorization: Bearer …`, or `?ticket=…` for
/// browsers; and refuses browser origins that are not allowed (cross-site WebSocket
/// hijacking).
struct RealtimeAuthenticationMiddleware: RouterMiddleware {
    typealias Context = ParleyRequestContext
    let verifier: TokenVerifier
    let tickets: any TicketStore
    let allowedOrigins: [String]?
    let clock: any WallClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
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
            context.principal = try await verifier.verify(try AuthenticationMiddleware.bearerToken(header))
        } else if let ticket = request.uri.queryParameters.get("ticket") {
            guard let principal = try await tickets.redeem(ticket, now: clock.now()) else {
                throw ParleyError.unauthenticated(reason: "unknown, used or expired ticket")
            }
            context.principal = principal
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
