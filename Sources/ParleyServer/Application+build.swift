import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import Crypto
import ParleyAssist
import Foundation
import ParleyCore
import ParleyMedia
import ParleyMessaging
import ParleyNotify
import ParleyRealtime
import ServiceLifecycle

/// Builds a Parley node: routes, middleware, the realtime hub, and the long-running
/// services (the store's writer and the hub) in the application's service group.
///
/// ```swift
/// let app = try buildApplication(configuration: configuration, store: store, broker: InProcessBroker())
/// try await app.runService()
/// ```
public func buildApplication(
    configuration: ServerConfiguration,
    store: some ConversationStore & AssistStore & AttachmentStore & NotificationStore & EncryptionStore & Service,
    broker: any Broker,
    tickets: any TicketStore = InMemoryTicketStore(),
    presenceDirectory: any PresenceDirectory = LocalPresenceDirectory(),
    clock: any WallClock = SystemWallClock(),
    metrics: ServerMetrics = ServerMetrics(),
    otherServices: [any Service] = [],
    onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let logger = configuration.logger
    let metrics = configuration.stageTimings ? metrics.withStageTimings() : metrics
    // One key signs the audit log's checkpoints and the franking receipts of encrypted
    // messages: both verify with `GET /api/audit/key`. Without a configured key, one made
    // for this process.
    let auditKey = configuration.auditKey ?? Curve25519.Signing.PrivateKey()
    let hub = Hub(
        broker: broker, clock: clock, logger: logger, log: StoreMessageLog(store: store), stageTimings: metrics.stageTimings)
    let rateLimiter = RateLimiter(
        ratePerSecond: configuration.userWritesPerSecond,
        burst: configuration.userWritesPerSecond * Limits.userWriteBurst / Limits.userWritesPerSecond, clock: clock)
    let autoAnswers = AutoAnswerQueue()
    // The matcher's cache keeps templates' and replies' vectors for suggestions; the
    // sentiment classifier reads every message once (and any text sent to the endpoint),
    // so it encodes uncached rather than flushing that cache.
    let embedder = configuration.assistEmbedder.map { CachingEmbedder($0, capacity: 4_096) }
    let classifier = SentimentClassifier(embedder: configuration.assistEmbedder)
    let encoderBudget = EncoderBudget()
    let sentimentReview = SentimentReview(classifier: classifier, budget: encoderBudget)
    let messaging = MessagingService(
        store: store, hub: hub, clock: clock, rateLimiter: rateLimiter, messagesStored: metrics.messagesStored,
        logger: logger, autoAnswers: autoAnswers, screener: MessageScreener(maskingMode: configuration.contactMasking),
        sentimentReview: sentimentReview, pushReads: configuration.push == nil ? nil : store,
        ticketOnEscalation: configuration.ticketOnEscalation, encryption: store, franking: FrankingSigner(key: auditKey))
    let assist = AssistService(
        store: store, messaging: messaging, matcher: FAQMatcher(embedder: embedder), classifier: classifier,
        encoderBudget: encoderBudget, autoAnswers: autoAnswers, clock: clock, rateLimiter: rateLimiter, logger: logger)

    let attachments = makeAttachmentService(
        configuration: configuration, store: store, clock: clock, rateLimiter: rateLimiter, logger: logger)

    let audit = AuditService.forNode(configuration: configuration.with(auditKey: auditKey), store: store, clock: clock)
    (store as? any SearchIndexLagReporting)?.observeSearchIndexLag { metrics.recordSearchIndexLag(messages: $0) }

    let router = Router(context: ParleyRequestContext.self)
    // Metrics outermost: they count every answer, errors included, after ErrorMiddleware
    // has turned each error into the contract's JSON.
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: ErrorMiddleware())
    OperationsController(store: store, broker: broker, metrics: metrics, assistMode: configuration.assistMode, audit: audit)
        .add(to: router)
    WebClientRoutes(configuration: configuration.webClient, embeddingOrigins: configuration.allowedOrigins ?? []).add(to: router)
    let presence = PresenceService(
        hub: hub, clock: clock, logger: logger, gracePeriodMilliseconds: configuration.presenceGracePeriodMilliseconds,
        directory: presenceDirectory
    ) { userID in
        try await store.relatedUsers(of: userID, limit: PresenceService.maxAudience)
    }
    let agents = SignInRecorder(store: store, clock: clock, logger: logger)
    let notifySender = NotifyHTTPSender()
    let outbox = OutboxDrainer(
        store: store, sender: notifySender, push: configuration.push, presence: PresenceRecipients(presence: presence),
        clock: clock, logger: logger, metrics: metrics, lease: configuration.outboxLease,
        pollInterval: configuration.outboxPollInterval)
    let integrations = IntegrationsService(
        store: store, push: configuration.push, clock: clock, logger: logger,
        takeRate: { userID in try rateLimiter.take(userID) })
    let realtime = RealtimeController(
        messaging: messaging, hub: hub, presence: presence, tickets: tickets, verifier: configuration.verifier,
        allowedOrigins: configuration.allowedOrigins, agents: agents, metrics: metrics, clock: clock,
        pingInterval: configuration.webSocketPingInterval)
    realtime.addWebSocket(to: router)
    let authentication = AuthenticationMiddleware(verifier: configuration.verifier, agents: agents)
    let attachmentRoutes = AttachmentsController(attachments: attachments, uploadIdleTimeout: configuration.uploadIdleTimeout)
    // Downloads take a signed link instead of the token (for <img src>), so they are not
    // behind the token-only middleware of the rest of the API.
    router.group("api/attachments").add(middleware: LinkOrBearerMiddleware(bearer: authentication))
        .addRoutes(attachmentRoutes.downloadEndpoints)
    let api = router.group("api").add(middleware: authentication)
    api.addRoutes(attachmentRoutes.uploadEndpoints, atPath: "conversations")
    api.addRoutes(attachmentRoutes.linkEndpoints, atPath: "attachments")
    api.addRoutes(ConversationsController(messaging: messaging).endpoints, atPath: "conversations")
    api.addRoutes(MessagesController(messaging: messaging, assist: assist).endpoints, atPath: "conversations")
    let assistRoutes = AssistController(assist: assist)
    api.addRoutes(assistRoutes.conversationEndpoints, atPath: "conversations")
    api.addRoutes(assistRoutes.templateEndpoints, atPath: "templates")
    api.addRoutes(assistRoutes.faqEndpoints, atPath: "faq")
    api.addRoutes(assistRoutes.settingsEndpoints, atPath: "assist")
    api.addRoutes(SearchController(messaging: messaging).endpoints, atPath: "search")
    api.addRoutes(realtime.ticketEndpoints, atPath: "realtime/tickets")
    let notifications = NotificationsController(integrations: integrations, messaging: messaging)
    api.addRoutes(notifications.pushEndpoints, atPath: "push")
    api.addRoutes(notifications.webhookEndpoints, atPath: "webhooks")
    api.addRoutes(notifications.ticketEndpoints, atPath: "conversations")
    if let audit { api.addRoutes(AuditController(audit: audit).endpoints, atPath: "audit") }
    let encryption = EncryptionController(messaging: messaging)
    api.addRoutes(encryption.deviceEndpoints, atPath: "devices")
    api.addRoutes(encryption.userEndpoints, atPath: "users")
    api.addRoutes(encryption.conversationEndpoints, atPath: "conversations")
    api.addRoutes(encryption.reportEndpoints, atPath: "reports")

    let host = configuration.host
    return Application(
        router: router,
        server: .http1WebSocketUpgrade(
            webSocketRouter: router,
            webSocket: .init(
                maxFrameSize: RealtimeConnection.maxInboundMessageBytes,
                // Each connection's pings are an event-loop timer (RealtimeLivenessHandler), not a task.
                autoPing: .disabled),
            requestHeadTimeout: configuration.requestHeadTimeout),
        configuration: .init(
            address: .hostname(host, port: configuration.port), serverName: "parley",
            availableConnectionsDelegate: configuration.maxConnections.map { MaximumAvailableConnections($0, logger: logger) }),
        services: [store] + otherServices + [
            hub, presence, AutoAnswerService(assist: assist, queue: autoAnswers),
            SentimentReviewService(messaging: messaging, review: sentimentReview),
            AttachmentJanitor(attachments: attachments, logger: logger, interval: configuration.attachmentJanitorInterval),
            outbox, OutboxJanitor(store: store, clock: clock, logger: logger),
        ] + (audit.map { [AuditCheckpointService(audit: $0, logger: logger)] } ?? []),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            logger.info("parley listening on http://\(host):\(port)")
            await onListening(port)
        },
        logger: logger
    )
}

/// The attachment service of a node, with the configured blob store or, when none is
/// configured (tests, tools), a folder under the temporary directory.
func makeAttachmentService(
    configuration: ServerConfiguration, store: some ConversationStore & AttachmentStore, clock: any WallClock,
    rateLimiter: RateLimiter, logger: Logger
) -> AttachmentService {
    let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(getpid())-\(UUID().uuidString)").path
    let blobs: any BlobStore
    if let configured = configuration.attachmentBlobs {
        blobs = configured
    } else {
        do {
            blobs = try FolderBlobStore(path: temporary + "/attachments")
        } catch {
            fatalError("cannot create a temporary attachment folder at \(temporary): \(error)")
        }
        logger.notice("attachments kept in a temporary folder", metadata: ["path": "\(temporary)/attachments"])
    }
    let spoolPath = configuration.uploadSpoolDirectory ?? temporary + "/uploads"
    let spool: UploadSpool
    do {
        spool = try UploadSpool(directory: spoolPath)
    } catch {
        fatalError("cannot create the upload folder at \(spoolPath): \(error)")
    }
    return AttachmentService(
        store: store, blobs: blobs, spool: spool, maxBytes: configuration.maxAttachmentBytes, links: configuration.attachmentLinks,
        clock: clock, rateLimiter: rateLimiter, logger: logger)
}
