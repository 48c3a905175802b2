import Hummingbird
import HummingbirdWebSocket
import ParleyCore
import ParleyMessaging
import ParleyRealtime

/// `POST /api/realtime/tickets` and the WebSocket at `GET /api/realtime`: each
/// connection becomes a `RealtimeConnection` registered with the hub.
struct RealtimeController {
    let messaging: MessagingService
    /// Where the connections register for deliveries.
    let hub: Hub
    let presence: PresenceService
    let tickets: any TicketStore
    let verifier: TokenVerifier
    let allowedOrigins: [String]?
    /// Support agents signing in over the WebSocket become assignable, as over REST.
    let agents: SignInRecorder
    let metrics: ServerMetrics
    let clock: any WallClock
    /// How often an idle WebSocket is pinged (`RealtimeLivenessHandler`; the WebSocket
    /// library's auto-ping is off).
    var pingInterval: Duration = .seconds(30)

    /// `POST /api/realtime/tickets`, under the authenticated `/api` group.
    var ticketEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.post(use: issueTicket)
        return routes
    }

    @Sendable func issueTicket(_ request: Request, context: ParleyRequestContext) async throws -> [String: String] {
        let principal = try context.requirePrincipal()
        try messaging.admitWrite(by: principal)
        return ["ticket": try await tickets.issue(for: principal, now: clock.now())]
    }

    /// On the router itself: the upgrade authenticates by header or ticket.
    func addWebSocket(to router: Router<ParleyRequestContext>) {
        let messaging = messaging
        let hub = hub
        let presence = presence
        let metrics = metrics
        let clock = clock
        let agents = agents
        let pingInterval = pingInterval
        router.group("api/realtime")
            .add(
                middleware: RealtimeAuthenticationMiddleware(
                    verifier: verifier, tickets: tickets, allowedOrigins: allowedOrigins, clock: clock)
            )
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
                guard let principal = context.requestContext.identity else { return }
                let channel = context.requestContext.channel
                channel.eventLoop.execute {
                    try? channel.pipeline.syncOperations.addHandler(RealtimeLivenessHandler(interval: pingInterval), position: .first)
                }
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
