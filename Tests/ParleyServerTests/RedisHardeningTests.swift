import Foundation
import Logging
import NIOCore
import ParleyAudit
import ParleyClient
import ParleyCore
import ParleyRealtime
import ParleySQLite
import ParleyServer
import ParleyTestSupport
import ServiceLifecycle
import Testing

@testable import ParleyRedis

/// Redis as it fails in production: a connection gone half-open, Redis refusing
/// connections, a password, TLS. Every test runs its own redis-server (stopped by PID),
/// so nothing here depends on, or disturbs, the shared test Redis.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/redis-server"), "needs redis-server"))
struct RedisHardeningTests {
    /// Fast health checks, so a dead connection is noticed within about 1.5 s.
    static let pingInterval: Duration = .milliseconds(300)
    static let replyTimeout: Duration = .seconds(1)

    @Test func aFrozenSubscriberIsNoticedReportedAndReplacedWhileLocalDeliveryGoesOn() async throws {
        let redis = try ThrowawayRedis()
        defer { redis.stop() }
        try await redis.waitUntilAccepting()
        let proxy = try await FreezableProxy(targetPort: redis.port)
        let throughProxy = try #require(RedisURL("redis://127.0.0.1:\(proxy.port)"))
        let folder = try makeTemporaryFolder("frozen")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("shared.sqlite").path
        // Node 1 reaches Redis through the proxy (its broker only: presence and tickets go
        // straight, to keep this about the broker); node 2 reaches it directly.
        try await Self.withNode(broker: throughProxy, others: redis.url, database: database) { node1 in
            try await Self.withNode(broker: redis.url, others: redis.url, database: database) { node2 in
                try await RedisClusterTests.waitUntilReady(node1.server, node2.server)
                let sellerOnNode1 = try await node1.server.client("seller1", .seller)
                let sellerOnNode2 = try await node2.server.client("seller1", .seller)
                let id = try await node1.server.client("buyer1", .buyer).createThread().conversation.conversationID
                _ = try await node1.server.realtime("buyer1", .buyer) { buyer in
                    try await buyer.send(.ping(id: nil))
                    _ = try await buyer.next { if case .pong = $0 { true } else { false } }

                    proxy.freeze()
                    // Noticed within ping interval + reply timeout, and reported.
                    try await Self.waitForReady(node1.server, status: 503, within: .seconds(5))
                    // The gauge follows the state /ready reads (a moment later: it is set after it).
                    #expect(try await Self.metric("parley_redis_subscriber_up", of: node1.server, becomes: 0))
                    // A message sent on node 1 still reaches node 1's connections.
                    let local = try await sellerOnNode1.send(id, .init(content: "mismo nodo, redis congelado"))
                    let received = try await buyer.next(timeout: .seconds(3)) { $0.newMessage != nil }
                    #expect(received.newMessage == local)

                    proxy.unfreeze()
                    try await Self.waitForReady(node1.server, status: 200, within: .seconds(10))
                    #expect(try await Self.metric("parley_redis_subscriber_up", of: node1.server, becomes: 1))
                    #expect(try await Self.metric("parley_redis_reconnects_total{role=\"subscriber\"}", of: node1.server, becomes: 1, atLeast: true))
                    // Live delivery across nodes is back.
                    let remote = try await sellerOnNode2.send(id, .init(content: "desde el nodo 2, redis de vuelta"))
                    let live = try await buyer.next(timeout: .seconds(5)) { $0.newMessage != nil }
                    #expect(live.newMessage == remote)
                }
            }
        }
        await proxy.close()
    }

    @Test func aNodeWhoseRedisRefusesConnectionsStillDeliversItsOwnMessagesLocally() async throws {
        // Nothing listens there: every connection attempt is refused.
        let nowhere = try #require(RedisURL("redis://127.0.0.1:\(try LoopbackPort.free())"))
        try await Self.withNode(broker: nowhere, others: nowhere, database: nil) { node in
            let buyerClient = try await node.server.client("buyer1", .buyer)
            let id = try await buyerClient.createThread().conversation.conversationID
            #expect(try await node.server.anonymous().raw(.GET, "/ready").status == 503)
            #expect(try await Self.metric("parley_redis_subscriber_up", of: node.server, becomes: 0))
            _ = try await node.server.realtime("buyer1", .buyer) { buyer in
                try await buyer.send(.ping(id: nil))
                _ = try await buyer.next { if case .pong = $0 { true } else { false } }
                let sent = try await node.server.client("seller1", .seller).send(id, .init(content: "sin redis"))
                let received = try await buyer.next(timeout: .seconds(3)) { $0.newMessage != nil }
                #expect(received.newMessage == sent)
            }
        }
    }

    @Test func aPasswordOrAUserAndPasswordInTheURLLogsIn() async throws {
        let redis = try ThrowawayRedis(extraArguments: [
            "--requirepass", "p@ss word", "--user", "parley", "on", ">s3cret", "~*", "&*", "+@all",
        ])
        defer { redis.stop() }
        try await redis.waitUntilAccepting()
        let withPassword = try #require(RedisURL("redis://:p%40ss%20word@127.0.0.1:\(redis.port)"))
        #expect(try await RedisConnection.with(withPassword) { try await $0.send(["PING"]) } == .simpleString("PONG"))
        let withUser = try #require(RedisURL("redis://parley:s3cret@127.0.0.1:\(redis.port)/1"))
        let whoAmI = try await RedisConnection.with(withUser) { try await $0.send(["ACL", "WHOAMI"]) }
        #expect(whoAmI.string == "parley")
        // Without the password, or with a wrong one, Redis refuses.
        await #expect(throws: RedisConnection.ConnectionError.self) {
            try await RedisConnection.with(redis.url) { try await $0.send(["SET", "k", "v"]) }
        }
        await #expect(throws: RedisConnection.ConnectionError.self) {
            try await RedisConnection.with(RedisURL("redis://parley:wrong@127.0.0.1:\(redis.port)")!) { try await $0.send(["PING"]) }
        }
    }

    @Test func aRedissURLConnectsOverTLSTrustingOnlyTheGivenAuthority() async throws {
        let folder = try makeTemporaryFolder("redis-tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (certificate, key) = try Self.makeSelfSignedCertificate(in: folder)
        let redis = try ThrowawayRedis(extraArguments: ["--requirepass", "tls-s3cret"], tls: (certificate, key))
        defer { redis.stop() }
        try await redis.waitUntilAccepting()
        var url = try #require(RedisURL("rediss://:tls-s3cret@127.0.0.1:\(redis.port)"))
        // The system's roots do not know a self-signed certificate.
        await #expect(throws: (any Error).self) { try await RedisConnection.with(url) { try await $0.send(["PING"]) } }
        url.caFile = certificate
        #expect(try await RedisConnection.with(url) { try await $0.send(["PING"]) } == .simpleString("PONG"))
        // Plain text to a TLS port gets no answer Redis would give: refused, not hung.
        let plain = try #require(RedisURL("redis://:tls-s3cret@127.0.0.1:\(redis.port)"))
        await #expect(throws: (any Error).self) { try await RedisConnection.with(plain) { try await $0.send(["PING"]) } }

        // A whole node joins through TLS: broker, tickets and presence.
        try await Self.withNode(broker: url, others: url, database: nil) { node in
            try await RedisClusterTests.waitUntilReady(node.server)
            let ticket = try await node.server.client("buyer1", .buyer).realtimeTicket()
            _ = try await RealtimeSession.open(baseURL: node.server.baseURL, credentials: .ticket(ticket)) { session in
                try await session.send(.ping(id: nil))
                _ = try await session.next { if case .pong = $0 { true } else { false } }
            }
        }
    }

    @Test func ticketsReuseAFewPooledConnections() async throws {
        let redis = try ThrowawayRedis()
        defer { redis.stop() }
        try await redis.waitUntilAccepting()
        let store = RedisTicketStore(url: redis.url)
        let before = try await Self.connectionsReceived(by: redis)
        let principal = Principal(userID: "buyer1", role: .buyer)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    let ticket = try await store.issue(for: principal, now: SystemWallClock().now())
                    #expect(try await store.redeem(ticket, now: SystemWallClock().now())?.userID == "buyer1")
                }
            }
            try await group.waitForAll()
        }
        let opened = try await Self.connectionsReceived(by: redis) - before - 1  // less the one asking
        #expect(opened <= RedisConnectionPool.defaultMaxConnections, "200 operations opened \(opened) connections")
    }

    @Test func presenceSharesThePoolOfTickets() async throws {
        let redis = try ThrowawayRedis()
        defer { redis.stop() }
        try await redis.waitUntilAccepting()
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let pool = RedisConnectionPool(url: redis.url, maxConnections: 2)
        let presence = RedisPresenceDirectory(pool: pool, logger: logger)
        let tickets = RedisTicketStore(pool: pool)
        let before = try await Self.connectionsReceived(by: redis)
        for index in 0..<50 {
            _ = await presence.arrived("user\(index)")
            _ = try await tickets.issue(for: Principal(userID: "user\(index)", role: .buyer), now: SystemWallClock().now())
        }
        _ = await presence.onlineElsewhere((0..<50).map { "user\($0)" })
        for index in 0..<50 { _ = await presence.departed("user\(index)") }
        let opened = try await Self.connectionsReceived(by: redis) - before - 1  // less the one asking
        #expect(opened <= 2, "150 presence and ticket operations opened \(opened) connections")
    }

    @Test func aPoolThatCannotReachRedisFailsTheNextCallersAtOnce() async throws {
        let nowhere = try #require(RedisURL("redis://127.0.0.1:\(try LoopbackPort.free())"))
        let pool = RedisConnectionPool(url: nowhere, maxConnections: 2)
        await #expect(throws: (any Error).self) { try await pool.send(["PING"]) }
        // Within the cool-off, callers are refused without trying (and without waiting
        // in line behind connect timeouts).
        await #expect(throws: RedisConnectionPool.PoolError.unreachable) { try await pool.send(["PING"]) }
        #expect(pool.openConnections == 0)
    }

    @Test func aPoolReplacesAConnectionThatDied() async throws {
        let redis = try ThrowawayRedis()
        defer { redis.stop() }
        try await redis.waitUntilAccepting()
        let pool = RedisConnectionPool(url: redis.url, maxConnections: 1)
        #expect(try await pool.send(["PING"]) == .simpleString("PONG"))
        _ = try await RedisConnection.with(redis.url) { try await $0.send(["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"]) }
        // The killed connection is noticed (closed) and replaced on the next lease.
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await pool.send(["PING"]) == .simpleString("PONG"))
        #expect(pool.openConnections == 1)
    }

    // MARK: - Helpers

    /// A node whose broker uses `broker`, and whose tickets and presence use `others`,
    /// with fast health checks and its metrics wired to the broker.
    struct Node: Sendable {
        let server: TestServer
    }

    static func withNode(
        broker brokerURL: RedisURL, others: RedisURL, database: String?, _ body: @Sendable (Node) async throws -> Void
    ) async throws {
        let folder = try makeTemporaryFolder("redis-node")
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "parley-test")
        logger.logLevel = .error
        let path = database ?? folder.appendingPathComponent("db.sqlite").path
        let store = try SQLiteConversationStore(path: path, logger: logger)
        let verifier = try await TokenVerifier(key: .hmacSecret(TestServer.secret))
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, verifier: verifier, allowedOrigins: nil,
            userWritesPerSecond: Limits.userWritesPerSecond, logger: logger)
        // Nodes on one database share its audit key, as every cluster must (a node that
        // finds a checkpoint signed by another key reports the log corrupt and is not ready).
        configuration.auditKey = try AuditSigningKey.loadOrCreate(in: URL(fileURLWithPath: path).deletingLastPathComponent()).key
        let metrics = ServerMetrics()
        let broker = RedisBroker(url: brokerURL, logger: logger, pingInterval: pingInterval, replyTimeout: replyTimeout) { event in
            metrics.recordRedisConnection(role: event.role.rawValue, up: event.isUp, reconnected: event.isReconnection)
        }
        let app = buildApplication(
            configuration: configuration, store: store, broker: broker,
            tickets: RedisTicketStore(pool: RedisConnectionPool(url: others)),
            presenceDirectory: RedisPresenceDirectory(url: others, logger: logger), metrics: metrics,
            otherServices: [broker], onListening: { portContinuation.yield($0) })
        let signer = try await TokenSigner(secret: TestServer.secret)
        try await withRunningServices([app], logger: logger) {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            try await body(Node(server: TestServer(port: port, signer: signer)))
        }
    }

    static func waitForReady(_ server: TestServer, status: Int, within timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await server.anonymous().raw(.GET, "/ready").status != status {
            guard ContinuousClock.now < deadline else {
                Issue.record("/ready did not answer \(status) within \(timeout)")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The value of the sample named `name` (with its labels) in `/metrics`.
    static func metric(_ name: String, of server: TestServer) async throws -> Double? {
        let text = String(decoding: try await server.anonymous().raw(.GET, "/metrics").body, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    /// Whether the metric `name` reads `value` (or, with `atLeast`, at least `value`) within a second.
    static func metric(_ name: String, of server: TestServer, becomes value: Double, atLeast: Bool = false) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(1)
        while true {
            let current = try await metric(name, of: server) ?? 0
            if atLeast ? current >= value : current == value { break }
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    static func connectionsReceived(by redis: ThrowawayRedis) async throws -> Int {
        let info = try await RedisConnection.with(redis.url) { try await $0.send(["INFO", "stats"]) }
        let line = info.string?.split(whereSeparator: \.isNewline).first { $0.hasPrefix("total_connections_received:") }
        return try #require(line.flatMap { Int($0.split(separator: ":")[1]) })
    }

    /// A self-signed certificate for 127.0.0.1 and its key, made with openssl.
    static func makeSelfSignedCertificate(in folder: URL) throws -> (certificate: String, key: String) {
        let certificate = folder.appendingPathComponent("redis.crt").path
        let key = folder.appendingPathComponent("redis.key").path
        let process = try SpawnedProcess(
            executable: "/usr/bin/openssl",
            arguments: [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=parley-test-redis", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key, "-out", certificate,
            ],
            captureOutput: true, mergeStandardError: true)
        guard process.waitForExit(timeout: 30) == 0 else { throw POSIXError(.EIO) }
        return (certificate, key)
    }
}
