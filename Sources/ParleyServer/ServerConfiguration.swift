import Crypto
import Logging
import ParleyAssist
import ParleyCore
import ParleyMedia
import ParleyMessaging
import ParleyNotify
import ParleyRealtime

/// What a Parley node needs to know to serve: where to listen, how to check tokens,
/// which browser origins may open WebSockets.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests); the chosen one is reported through `onListening`.
    public var port: Int
    public var verifier: TokenVerifier
    /// Origins allowed to open a WebSocket from a browser; `nil` allows any. Requests
    /// without an `Origin` header (apps, servers) are always allowed.
    public var allowedOrigins: [String]?
    /// Sustained writes per second allowed to one user (bursts of 4× that pass);
    /// 0 turns the limit off (benchmarks, trusted backends).
    public var userWritesPerSecond: Double
    /// How long a user still shows online after its last connection closes (≤ 15 s).
    public var presenceGracePeriodMilliseconds: Int64 = PresenceService.defaultGracePeriodMilliseconds
    /// Idle WebSockets are pinged this often; one that does not answer is closed.
    public var webSocketPingInterval: Duration = .seconds(30)
    /// A connection must send a complete request head within this long of opening and of
    /// the end of its previous response, which also closes keep-alive connections idle
    /// that long (the contract: 30 s). WebSockets, once upgraded, are not timed.
    public var requestHeadTimeout: Duration = ServerConfiguration.defaultRequestHeadTimeout
    public static let defaultRequestHeadTimeout: Duration = .seconds(30)
    /// At most this many connections (HTTP and WebSocket together) open at once on this
    /// node; further ones wait in the listen backlog until one closes. `nil`: no limit
    /// but the process's open-file limit.
    public var maxConnections: Int?
    /// The browser client at `/` (and, with `--dev`, its sign-in picker).
    public var webClient = WebClientConfiguration()
    /// The sentence encoder for FAQ matching and suggestions; `nil`: matching by words
    /// only (`assistMode` says why, in the log and in `/ready`).
    public var assistEmbedder: (any SentenceEmbedder)?
    /// How assist understands text, as `/ready` reports it: `semantic`, or `lexical` with
    /// the reason (no weights fetched, a damaged file…).
    public var assistMode = "lexical: no sentence encoder configured"
    /// When contact details in buyer and seller messages are masked (`--mask-contacts`).
    public var contactMasking = ContactMaskingMode.beforeOrder
    /// Where attachment bytes go (`--attachments`); nil: a folder under the system's
    /// temporary directory, for tests and tools (logged at start).
    public var attachmentBlobs: (any BlobStore)?
    /// Where uploads are received before they are checked; nil: beside a folder store,
    /// else under the temporary directory.
    public var uploadSpoolDirectory: String?
    /// `--max-attachment-bytes`.
    public var maxAttachmentBytes = AttachmentLimits.defaultMaxBytes
    /// Signs short-lived attachment links; every node of a cluster needs the same key
    /// (`parley serve` derives it from the JWT secret). nil: a random key kept in the
    /// database, which the nodes share.
    public var attachmentLinks: AttachmentLinkSigner?
    /// An upload's body that sends nothing for this long closes its connection.
    public var uploadIdleTimeout = AttachmentLimits.uploadIdleTimeout
    /// How often unsent uploads past their 24 h are looked for.
    public var attachmentJanitorInterval = AttachmentJanitor.defaultInterval
    /// Web Push (`--vapid-private-key`, `--push-delay`, `--push-allow-insecure`); nil: the
    /// push endpoints answer `503 push_not_configured` and nothing is pushed.
    public var push: PushConfiguration?
    /// `--ticket-on-escalation`: every escalation also requests a help-desk ticket.
    public var ticketOnEscalation = false
    /// How long a node holds an outbox item it is delivering; a node that dies leaves its
    /// items to the others once this ends.
    public var outboxLease = OutboxDrainer.defaultLease
    /// How often the outbox is looked at when nothing was due.
    public var outboxPollInterval = OutboxDrainer.defaultPollInterval
    /// Signs the audit log's checkpoints (`--audit-key`, or the key kept in the data
    /// folder); the franking receipts of encrypted messages are signed with the same key,
    /// so both verify with `GET /api/audit/key`. nil: a key made at start (tests, tools).
    public var auditKey: Curve25519.Signing.PrivateKey?
    /// `--stage-timings`: time each stage of the real-time path into
    /// `parley_stage_duration_seconds{stage}` (`StageTimings`). Off: no clock reads.
    public var stageTimings = false
    public var logger: Logger

    public init(
        host: String = "127.0.0.1", port: Int = 8080, verifier: TokenVerifier, allowedOrigins: [String]? = nil,
        userWritesPerSecond: Double = Limits.userWritesPerSecond, logger: Logger = Logger(label: "parley")
    ) {
        self.host = host
        self.port = port
        self.verifier = verifier
        self.allowedOrigins = allowedOrigins
        self.userWritesPerSecond = userWritesPerSecond
        self.logger = logger
    }
}
