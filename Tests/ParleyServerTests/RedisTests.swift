import Foundation
import Logging
import NIOCore
import ParleyClient
import ParleyCore
import ParleyRealtime
import ParleyTestSupport
import Testing

@testable import ParleyRedis

/// RESP parsing, and Parley nodes meeting in a real Redis (`PARLEY_TEST_REDIS_URL`,
/// started by scripts/test.sh).
@Suite struct RESPTests {
    @Test func partialRepliesWaitForMoreBytes() throws {
        let partial = "*3\r\n$7\r\nmessage\r\n$4\r\nchan\r\n$5\r\nhel"
        var buffer = ByteBuffer(string: partial)
        #expect(try RESPValue.parse(from: &buffer) == nil)
        #expect(buffer.readableBytes == partial.utf8.count, "nothing consumed")
        buffer.writeString("lo\r\n:42\r\n")
        #expect(
            try RESPValue.parse(from: &buffer)
                == .array([.bulkString(Array("message".utf8)), .bulkString(Array("chan".utf8)), .bulkString(Array("hello".utf8))]))
        #expect(try RESPValue.parse(from: &buffer) == .integer(42))
        #expect(buffer.readableBytes == 0)
    }

    @Test func everyKindOfReplyParses() throws {
        var buffer = ByteBuffer(string: "+OK\r\n-ERR wrong\r\n$-1\r\n*-1\r\n$0\r\n\r\n*0\r\n")
        #expect(try RESPValue.parse(from: &buffer) == .simpleString("OK"))
        #expect(try RESPValue.parse(from: &buffer) == .error("ERR wrong"))
        #expect(try RESPValue.parse(from: &buffer) == .bulkString(nil))
        #expect(try RESPValue.parse(from: &buffer) == .array(nil))
        #expect(try RESPValue.parse(from: &buffer) == .bulkString([]))
        #expect(try RESPValue.parse(from: &buffer) == .array([]))
    }

    @Test func garbageAndHugeClaimsAreRefused() {
        var garbage = ByteBuffer(string: "?what\r\n")
        #expect(throws: (any Error).self) { try RESPValue.parse(from: &garbage) }
        var huge = ByteBuffer(string: "$999999999999\r\n")
        #expect(throws: (any Error).self) { try RESPValue.parse(from: &huge) }
    }

    @Test func redisURLsParse() {
        #expect(RedisURL("redis://127.0.0.1:6380") == RedisURL("redis://127.0.0.1:6380"))
        #expect(RedisURL("redis://cache")?.port == 6379)
        #expect(RedisURL("http://x") == nil)
        #expect(RedisURL("redis://h:99999") == nil)
    }

    @Test func redisURLsCarryCredentialsDatabaseAndTLSButNeverPrintThePassword() throws {
        let password = try #require(RedisURL("redis://:s3cr%40t@cache:6380/2"))
        #expect(password.username == nil)
        #expect(password.password == "s3cr@t", "percent escapes are decoded")
        #expect(password.database == 2)
        #expect(!password.usesTLS)
        let user = try #require(RedisURL("rediss://parley:s3cret@cache"))
        #expect(user.username == "parley" && user.password == "s3cret" && user.usesTLS && user.port == 6379)
        for url in [password, user] {
            #expect(!url.description.contains("s3cr"), "\(url.description)")
            #expect(url.description.contains(URLRedaction.mask))
        }
        #expect(RedisURL("redis://[::1]:7000")?.host == "::1")
        #expect(RedisURL("redis://cache/notanumber") == nil)
        #expect(RedisURL("redis://user@cache") == nil, "a user without a password cannot log in")
    }
}

enum TestRedis {
    static var url: RedisURL? {
        ProcessInfo.processInfo.environment["PARLEY_TEST_REDIS_URL"].flatMap(RedisURL.init)
    }
}

@Suite(.serialized, .enabled(if: TestRedis.url != nil, "needs PARLEY_TEST_REDIS_URL (scripts/test.sh starts a Redis)"))
struct RedisClusterTests {
    @Test func commandsArePipelinedAndErrorsReported() async throws {
        let url = try #require(TestRedis.url)
        let key = "parley-test:\(UUID().uuidString)"
        let (set, get, deleted): (RESPValue, RESPValue, RESPValue) = try await RedisConnection.with(url) { connection in
            // Both written before either reply is read (two `async let` sends could go out
            // in either order).
            let set = try connection.enqueue(["SET", key, "envío"])
            let get = try connection.enqueue(["GET", key])
            let replies = (try await RedisConnection.reply(set), try await RedisConnection.reply(get))
            do {
                try await connection.send(["NOSUCHCOMMAND"])
                Issue.record("an unknown command should fail")
            } catch RedisConnection.ConnectionError.redis(let message) {
                #expect(message.contains("unknown command"))
            }
            return (replies.0, replies.1, try await connection.send(["DEL", key]))
        }
        #expect(set == .simpleString("OK"))
        #expect(get.string == "envío")
        #expect(deleted == .integer(1))
    }

    @Test func aMessageSentOnOneNodeReachesAWebSocketOnAnother() async throws {
        let url = try #require(TestRedis.url)
        let folder = try makeTemporaryFolder("cluster")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("shared.sqlite").path
        let options = TestServer.Options(redis: url, databasePath: database)
        try await TestServer.with(options: options) { node1 in
            try await TestServer.with(options: options) { node2 in
                try await RedisClusterTests.waitUntilReady(node1, node2)
                let seller = try await node2.client("seller1", .seller)
                let id = try await node1.client("buyer1", .buyer).createThread().conversation.conversationID
                // A ticket from node 2 opens a WebSocket on node 1.
                let ticket = try await node2.client("buyer1", .buyer).realtimeTicket()
                _ = try await RealtimeSession.open(baseURL: node1.baseURL, credentials: .ticket(ticket)) { buyer in
                    try await buyer.send(.ping(id: nil))
                    _ = try await buyer.next { if case .pong = $0 { true } else { false } }
                    let sent = try await seller.send(id, .init(content: "Sale desde el nodo 2"))
                    let received = try await buyer.next(timeout: .seconds(10)) { $0.newMessage != nil }
                    #expect(received.newMessage == sent)
                    // Typing crosses nodes too.
                    _ = try await node2.realtime("seller1", .seller) { sellerSession in
                        try await sellerSession.send(.typing(id: nil, conversationID: id, state: .start))
                        let typing = try await buyer.next(timeout: .seconds(10)) { if case .event(.typing) = $0 { true } else { false } }
                        #expect({ if case .event(.typing(_, "seller1", .start)) = typing { true } else { false } }())
                    }
                }
            }
        }
    }

    @Test func nodesKeepStoringWhileRedisIsAwayAndDeliverAgainWhenItIsBack() async throws {
        guard let redis = try? ThrowawayRedis() else {
            Issue.record("redis-server is not installed")
            return
        }
        defer { redis.stop() }
        let url = redis.url
        let folder = try makeTemporaryFolder("restart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = TestServer.Options(redis: url, databasePath: folder.appendingPathComponent("shared.sqlite").path)
        try await TestServer.with(options: options) { node1 in
            try await TestServer.with(options: options) { node2 in
                try await RedisClusterTests.waitUntilReady(node1, node2)
                let seller = try await node2.client("seller1", .seller)
                let id = try await node1.client("buyer1", .buyer).createThread().conversation.conversationID
                let first = try await seller.send(id, .init(content: "antes"))
                let cursor = try await node1.realtime("buyer1", .buyer) { buyer in
                    try await buyer.send(.resume(id: nil, cursor: "r0"))
                    return try #require(try await buyer.next { $0.newMessage?.messageID == first.messageID }.cursor)
                }.value

                redis.stop()
                // Redis away: nodes still accept and store messages, and say they are not ready.
                let during = try await seller.send(id, .init(content: "sin redis"))
                #expect(try await node1.anonymous().raw(.GET, "/ready").status == 503)

                try redis.start()
                try await RedisClusterTests.waitUntilReady(node1, node2)
                _ = try await node1.realtime("buyer1", .buyer) { buyer in
                    // What was missed comes back by resume…
                    try await buyer.send(.resume(id: .string("r"), cursor: cursor))
                    let received = try await buyer.next(timeout: .seconds(10)) { $0.newMessage != nil }.newMessage
                    #expect(received == during)
                    _ = try await buyer.next { $0.isResumed }
                    // …and live delivery across nodes works again.
                    let after = try await seller.send(id, .init(content: "con redis otra vez"))
                    let live = try await buyer.next(timeout: .seconds(10)) { $0.newMessage != nil }.newMessage
                    #expect(live == after)
                }
            }
        }
    }

    @Test func aUserOnTwoNodesStaysOnlineUntilItsLastConnectionCloses() async throws {
        let url = try #require(TestRedis.url)
        // Presence lives in the shared Redis: users of their own for this test.
        let buyer = "b-\(UUID().uuidString)"
        let seller = "s-\(UUID().uuidString)"
        try await RedisClusterTests.withTwoNodes(url) { node1, node2 in
            _ = try await node2.client(buyer, .buyer).createThread(with: [(seller, .seller)], me: (buyer, .buyer))
            _ = try await node2.realtime(buyer, .buyer) { watcher in
                try await watcher.send(.ping(id: nil))
                _ = try await watcher.next { if case .pong = $0 { true } else { false } }
                _ = try await node2.realtime(seller, .seller) { _ in
                    _ = try await watcher.next(timeout: .seconds(5)) { $0.isPresence(of: seller, .online) }
                    _ = try await node1.realtime(seller, .seller) { second in
                        try await second.send(.ping(id: nil))
                        _ = try await second.next { if case .pong = $0 { true } else { false } }
                    }
                    // The node-1 connection closed, but seller1 is still on node 2.
                    let frames = try await watcher.drain(for: .seconds(2.5))
                    #expect(!frames.contains { $0.isPresence(of: seller, .offline) })
                }
                _ = try await watcher.next(timeout: .seconds(6)) { $0.isPresence(of: seller, .offline) }
            }
        }
    }

    @Test func theUsersOfACrashedNodeGoOffline() async throws {
        let url = try #require(TestRedis.url)
        let buyer = "b-\(UUID().uuidString)"
        let seller = "s-\(UUID().uuidString)"
        try await RedisClusterTests.withTwoNodes(url) { node1, _ in
            _ = try await node1.client(buyer, .buyer).createThread(with: [(seller, .seller)], me: (buyer, .buyer))
            let prefix = "parley:presence:"
            // A node that registers seller1 and then stops without a word (no more heartbeats).
            let ghost = RedisPresenceDirectory(
                url: url, nodeID: "ghost-\(UUID().uuidString)", prefix: prefix, aliveSeconds: 1,
                logger: Logger(label: "ghost"))
            _ = await ghost.heartbeat()
            _ = await ghost.arrived(seller)
            _ = try await node1.realtime(buyer, .buyer) { watcher in
                _ = try await watcher.next(timeout: .seconds(8)) { $0.isPresence(of: seller, .offline) }
            }
        }
    }

    static func withTwoNodes(_ url: RedisURL, _ body: @Sendable (TestServer, TestServer) async throws -> Void) async throws {
        let folder = try makeTemporaryFolder("cluster")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = TestServer.Options(redis: url, databasePath: folder.appendingPathComponent("shared.sqlite").path)
        try await TestServer.with(options: options) { node1 in
            try await TestServer.with(options: options) { node2 in
                try await waitUntilReady(node1, node2)
                try await body(node1, node2)
            }
        }
    }

    static func waitUntilReady(_ nodes: TestServer...) async throws {
        try await ClusterProcessTests.waitUntilReady(nodes.map(\.baseURL), timeout: .seconds(30))
    }
}

/// A redis-server of the test's own on a free loopback port, stopped by its PID.
/// With `tls`, it listens for TLS only (on `port`), with that certificate and key.
final class ThrowawayRedis: @unchecked Sendable {
    let port: Int
    private let extraArguments: [String]
    private let tls: (certificate: String, key: String)?
    private var process: Process?

    var url: RedisURL { RedisURL("\(tls == nil ? "redis" : "rediss")://127.0.0.1:\(port)")! }

    init(extraArguments: [String] = [], tls: (certificate: String, key: String)? = nil) throws {
        let socket = try LoopbackPort.free()
        port = socket
        self.extraArguments = extraArguments
        self.tls = tls
        try start()
    }

    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        var listening = ["--port", String(port)]
        if let tls {
            listening = [
                "--port", "0", "--tls-port", String(port), "--tls-cert-file", tls.certificate, "--tls-key-file", tls.key,
                "--tls-ca-cert-file", tls.certificate, "--tls-auth-clients", "no",
            ]
        }
        process.arguments = listening + ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"] + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    /// Waits (at most 5 s) until the server accepts TCP connections.
    func waitUntilAccepting() async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while !LoopbackPort.accepts(port: port) {
            guard ContinuousClock.now < deadline else { throw POSIXError(.ETIMEDOUT) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}
