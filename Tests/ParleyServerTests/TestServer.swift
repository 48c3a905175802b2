import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import Logging
import ParleyAssist
import ParleyAudit
import ParleyClient
import ParleyCore
import ParleyMedia
import ParleyMessaging
import ParleyNotify
import ParleyRealtime
import ParleyRedis
import ParleySQLite
import ParleyServer
import ParleyTestSupport
import ServiceLifecycle
import Testing

/// A real Parley node on a free loopback port, with a fresh SQLite database, for the
/// length of one test.
struct TestServer: Sendable {
    static let secret = "test-secret-0123456789abcdefghijklmnopqrstuvwxyz"

    let port: Int
    let signer: TokenSigner
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// A REST client acting as `userID` with `role`.
    func client(_ userID: String, _ role: Role, ttl: TimeInterval = 3600) async throws -> ParleyRESTClient {
        ParleyRESTClient(baseURL: baseURL, token: try await signer.sign(userID: userID, role: role, timeToLive: ttl))
    }

    func token(_ userID: String, _ role: Role) async throws -> String {
        try await signer.sign(userID: userID, role: role)
    }

    /// Opens a WebSocket as `userID` for as long as `body` runs.
    func realtime<Value: Sendable>(
        _ userID: String, _ role: Role, reading: Bool = true,
        _ body: @escaping @Sendable (RealtimeSession) async throws -> Value
    ) async throws -> RealtimeSession.Outcome<Value> {
        try await RealtimeSession.open(baseURL: baseURL, credentials: .token(try await token(userID, role)), reading: reading, body)
    }

    /// A client with no token, or any token text.
    func anonymous(token: String? = nil) -> ParleyRESTClient { ParleyRESTClient(baseURL: baseURL, token: token) }

    /// Knobs a test may turn.
    struct Options: Sendable {
        var key: TokenVerifier.Key = .hmacSecret(TestServer.secret)
        var issuer: String?
        var audience: String?
        var userWritesPerSecond = Limits.userWritesPerSecond
        var presenceGracePeriodMilliseconds: Int64 = 300
        var allowedOrigins: [String]?
        var clock: any WallClock = SystemWallClock()
        /// Join a cluster through this Redis (broker and tickets) instead of running alone.
        var redis: RedisURL?
        /// Use this database file (to make several nodes share one) instead of a fresh one.
        var databasePath: String?
        /// The sentence encoder for FAQ matching; `nil`: matching by words only.
        var assistEmbedder: (any SentenceEmbedder)?
        var contactMasking = ContactMaskingMode.beforeOrder
        var maxAttachmentBytes = AttachmentLimits.defaultMaxBytes
        var attachmentJanitorInterval = AttachmentJanitor.defaultInterval
        /// Web Push; nil: the push endpoints answer 503 `push_not_configured`.
        var push: PushConfiguration?
        var ticketOnEscalation = false
        /// `--stage-timings`.
        var stageTimings = false
        /// Short, so that webhook and push tests do not wait for the outbox's next look.
        var outboxPollInterval: Duration = .milliseconds(200)
        /// Signs audit checkpoints and franking receipts; nil: a key made at start.
        var auditKey: Curve25519.Signing.PrivateKey?
    }

    static func with<T: Sendable>(
        key: TokenVerifier.Key = .hmacSecret(secret), issuer: String? = nil, audience: String? = nil,
        _ body: @Sendable (TestServer) async throws -> T
    ) async throws -> T {
        try await with(options: Options(key: key, issuer: issuer, audience: audience), body)
    }

    static func with<T: Sendable>(options: Options, _ body: @Sendable (TestServer) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-server-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let (app, logger) = try await makeApplication(options: options, folder: folder) { portContinuation.yield($0) }
        let signer = try await TokenSigner(secret: secret)
        return try await withRunningServices([app], logger: logger) {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            return try await body(TestServer(port: port, signer: signer))
        }
    }

    /// The node of `options` with its SQLite database in `folder`: what `with` runs on a
    /// port, and what `RouterTestApplication` tests in process.
    static func makeApplication(
        options: Options, folder: URL, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> (some ApplicationProtocol, Logger) {
        var logger = Logger(label: "parley-test")
        logger.logLevel = ProcessInfo.processInfo.environment["PARLEY_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        let store = try SQLiteConversationStore(
            path: options.databasePath ?? folder.appendingPathComponent("db.sqlite").path, logger: logger)
        let verifier = try await TokenVerifier(key: options.key, issuer: options.issuer, audience: options.audience)
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, verifier: verifier, allowedOrigins: options.allowedOrigins,
            userWritesPerSecond: options.userWritesPerSecond, logger: logger)
        configuration.presenceGracePeriodMilliseconds = options.presenceGracePeriodMilliseconds
        configuration.assistEmbedder = options.assistEmbedder
        configuration.contactMasking = options.contactMasking
        configuration.maxAttachmentBytes = options.maxAttachmentBytes
        configuration.attachmentJanitorInterval = options.attachmentJanitorInterval
        configuration.push = options.push
        configuration.ticketOnEscalation = options.ticketOnEscalation
        configuration.stageTimings = options.stageTimings
        configuration.outboxPollInterval = options.outboxPollInterval
        // A node restarted on the same database keeps its audit key (kept beside the file, as
        // `parley serve` keeps it in the data folder): another key would find the log corrupt.
        configuration.auditKey =
            try options.auditKey
            ?? options.databasePath.map { try AuditSigningKey.loadOrCreate(in: URL(fileURLWithPath: $0).deletingLastPathComponent()).key }
        // The node's attachments beside its database, removed with it.
        configuration.attachmentBlobs = try FolderBlobStore(path: folder.appendingPathComponent("attachments").path)
        configuration.uploadSpoolDirectory = folder.appendingPathComponent("uploads").path
        let redisBroker = options.redis.map { RedisBroker(url: $0, logger: logger) }
        let app = buildApplication(
            configuration: configuration, store: store, broker: redisBroker ?? InProcessBroker(),
            tickets: options.redis.map { RedisTicketStore(url: $0) } ?? InMemoryTicketStore(),
            presenceDirectory: options.redis.map { RedisPresenceDirectory(url: $0, logger: logger) } ?? LocalPresenceDirectory(),
            clock: options.clock,
            otherServices: redisBroker.map { [$0] } ?? [], onListening: onListening)
        return (app, logger)
    }
}

extension ParleyRESTClient {
    /// Sends JSON text as it is (for malformed and edge-case bodies).
    func rawJSON(_ method: Method, _ path: String, _ json: String) async throws -> RawResponse {
        try await raw(method, path, body: Data(json.utf8))
    }

    /// Creates the usual buyer1 + seller1 thread for order `orderID`.
    func createThread(
        orderID: String = "o1", with others: [(String, ParticipantRole)] = [("seller1", .seller)],
        me: (String, ParticipantRole) = ("buyer1", .buyer), message: String? = nil
    ) async throws -> ConversationView {
        try await createConversation(
            CreateConversationBody(
                participants: ([me] + others).map { .init(userId: $0.0, role: $0.1) }, orderId: orderID,
                message: message.map { .init(content: $0) }))
    }
}

/// Asserts that `operation` fails with `status` and the contract's error shape.
func expectStatus(
    _ status: Int, code: String? = nil, _ operation: () async throws -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    do {
        try await operation()
        Issue.record("expected \(status), got success", sourceLocation: sourceLocation)
    } catch let error as ParleyClientError {
        #expect(error.status == status, sourceLocation: sourceLocation)
        #expect(error.code != nil, "the error body must be the contract's JSON", sourceLocation: sourceLocation)
        if let code { #expect(error.code == code, sourceLocation: sourceLocation) }
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}
