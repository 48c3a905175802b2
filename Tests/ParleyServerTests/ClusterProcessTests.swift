import Foundation
import ParleyClient
import ParleyCore
import ParleyServer
import ParleyTestSupport
import Testing

extension RedisClusterTests {
    /// Real `parley` processes on PostgreSQL and Redis: what a big marketplace runs. Nested in
    /// `RedisClusterTests` so that the two never run at once: they share the test Redis, and
    /// presence there is cluster-wide.
    @Suite(
        .enabled(
            if: ThrowawayPostgres.serverURL != nil,
            "needs PARLEY_TEST_POSTGRES_URL (scripts/test.sh starts a PostgreSQL)"))
    struct ClusterProcessTests {
        static let redisURL = ProcessInfo.processInfo.environment["PARLEY_TEST_REDIS_URL"] ?? ""

        /// Starts `count` nodes sharing `database` and the test Redis.
        static func nodes(_ count: Int, database: String, redis: String = redisURL, folder: URL) throws -> [ServerProcess] {
            var arguments = ["--jwt-secret", TestServer.secret, "--database", database]
            if !redis.isEmpty { arguments += ["--redis", redis] }
            let nodes = try (0..<count).map { _ in try ServerProcess(arguments: arguments, workingDirectory: folder) }
            for node in nodes { _ = try node.waitUntilListening() }
            return nodes
        }

        static func client(_ baseURL: String, _ userID: String, _ role: Role) async throws -> ParleyRESTClient {
            let signer = try await TokenSigner(secret: TestServer.secret)
            return ParleyRESTClient(baseURL: baseURL, token: try await signer.sign(userID: userID, role: role), timeout: .seconds(5))
        }

        static func token(_ userID: String, _ role: Role) async throws -> String {
            try await TokenSigner(secret: TestServer.secret).sign(userID: userID, role: role)
        }

        static func base(_ node: ServerProcess) -> String { "http://127.0.0.1:\(node.port)" }

        /// Waits until every node answers `/ready` with 200 (Redis and the database reached).
        static func waitUntilReady(_ baseURLs: [String], timeout: Duration = .seconds(20)) async throws {
            let deadline = ContinuousClock.now + timeout
            for url in baseURLs {
                while true {
                    let remaining = deadline - ContinuousClock.now
                    guard remaining > .zero else { throw ServerProcessError.didNotStart("\(url) never became ready") }
                    // A slow answer is not a refusal: on a loaded two-core machine the first
                    // `/ready` can take seconds, so each try may use what is left of the wait,
                    // and a failed try (nothing listening yet) is tried again.
                    let client = ParleyRESTClient(baseURL: url, token: nil, timeout: remaining)
                    if (try? await client.raw(.GET, "/ready").status) == 200 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
        }

        @Test func messagesTypingReadAndPresenceCrossTwoNodeProcesses() async throws {
            let folder = try makeTemporaryFolder("two-nodes")
            defer { try? FileManager.default.removeItem(at: folder) }
            try await ThrowawayPostgres.withDatabase { database in
                let nodes = try Self.nodes(2, database: database, folder: folder)
                let (one, two) = (Self.base(nodes[0]), Self.base(nodes[1]))
                try await Self.waitUntilReady([one, two])
                let buyer = try await Self.client(one, "buyer1", .buyer)
                let seller = try await Self.client(two, "seller1", .seller)
                let id = try await buyer.createThread(message: "¿Hay talla 38?").conversation.conversationID

                _ = try await RealtimeSession.open(baseURL: two, credentials: .token(try await Self.token("seller1", .seller))) {
                    sellerSession in
                    // The buyer comes online on node 1: the seller on node 2 hears of it.
                    _ = try await RealtimeSession.open(baseURL: one, credentials: .token(try await Self.token("buyer1", .buyer))) {
                        buyerSession in
                        let online = try await sellerSession.next(timeout: .seconds(10)) {
                            if case .event(.presence("buyer1", .online, _)) = $0 { true } else { false }
                        }
                        #expect({ if case .event(.presence("buyer1", .online, _)) = online { true } else { false } }())

                        // A message stored through node 1 reaches the seller's socket on node 2.
                        let sent = try await buyer.send(id, .init(content: "¿Y en azul?"))
                        let received = try await sellerSession.next(timeout: .seconds(10)) { $0.newMessage != nil }
                        let delivered = try #require(received.newMessage)
                        #expect(delivered.disclosed(.content) == sent)
                        #expect(delivered.annotations.sentiment != nil, "the seller gets its sentiment, across nodes too")

                        // Typing on node 2 reaches the buyer on node 1.
                        try await sellerSession.send(.typing(id: nil, conversationID: id, state: .start))
                        let typing = try await buyerSession.next(timeout: .seconds(10)) {
                            if case .event(.typing) = $0 { true } else { false }
                        }
                        #expect({ if case .event(.typing(id, "seller1", .start)) = typing { true } else { false } }())

                        // The seller reads on node 2; the buyer on node 1 sees "seen".
                        _ = try await seller.markRead(id, seq: sent.seq)
                        let read = try await buyerSession.next(timeout: .seconds(10)) {
                            if case .event(.read) = $0 { true } else { false }
                        }
                        #expect({ if case .event(.read(id, "seller1", sent.seq)) = read { true } else { false } }())
                    }
                    // The buyer leaves node 1: after the grace period the seller hears it is offline.
                    let offline = try await sellerSession.next(timeout: .seconds(20)) {
                        if case .event(.presence("buyer1", .offline, _)) = $0 { true } else { false }
                    }
                    #expect({ if case .event(.presence("buyer1", .offline, _)) = offline { true } else { false } }())
                }
                for node in nodes { node.kill(SIGTERM) }
                for node in nodes { #expect(node.waitForExit() == 0) }
            }
        }

        @Test func aKilledNodesClientsReconnectThroughNginxAndResumeWithoutLossOrDuplicates() async throws {
            let folder = try makeTemporaryFolder("failover")
            defer { try? FileManager.default.removeItem(at: folder) }
            try await ThrowawayPostgres.withDatabase { database in
                let nodes = try Self.nodes(2, database: database, folder: folder)
                try await Self.waitUntilReady(nodes.map(Self.base))
                let nginx = try ThrowawayNginx(upstreamPorts: nodes.map(\.port))
                try await Self.waitUntilReady([nginx.baseURL])
                let buyerREST = try await Self.client(nginx.baseURL, "buyer1", .buyer)
                let id = try await buyerREST.createThread(message: "hola").conversation.conversationID

                // The buyer's app: connected through nginx, reconnecting and resuming on its own.
                let token = try await Self.token("buyer1", .buyer)
                let app = ParleyRealtimeClient(baseURL: nginx.baseURL) { .token(token) }
                let running = Task { await app.run() }
                defer { running.cancel() }
                let connected = ConnectionWatcher(app.states)
                try await connected.next(timeout: .seconds(10))

                // Which node holds the buyer's socket? Its metrics say so. The client counts
                // itself connected at the upgrade; the node counts the socket a moment later,
                // once its handler has registered it, so ask until one of them does.
                var buyersNode: Int?
                let deadline = ContinuousClock.now + .seconds(10)
                while buyersNode == nil, ContinuousClock.now < deadline {
                    for (index, node) in nodes.enumerated() {
                        let metrics = try await ParleyRESTClient(baseURL: Self.base(node), token: nil).raw(.GET, "/metrics")
                        let text = String(decoding: metrics.body, as: UTF8.self)
                        let gauge = text.split(separator: "\n").first { $0.hasPrefix("parley_websocket_connections ") }
                        if let value = gauge?.split(separator: " ").last.flatMap({ Double($0) }), value > 0 {
                            buyersNode = index
                        }
                    }
                    if buyersNode == nil { try await Task.sleep(for: .milliseconds(50)) }
                }
                let victim = try #require(buyersNode)
                let survivor = nodes[1 - victim]
                let seller = try await Self.client(Self.base(survivor), "seller1", .seller)

                let received = Task {
                    var contents: [String] = []
                    for await event in app.events {
                        if case .messageNew(let message, _) = event, message.senderID == "seller1" {
                            contents.append(message.content)
                            if contents.count == 15 { break }
                        }
                    }
                    return contents
                }
                var expected: [String] = []
                for index in 0..<5 {
                    expected.append("antes \(index)")
                    _ = try await seller.send(id, .init(content: expected.last!))
                }
                nodes[victim].kill(SIGKILL)
                _ = nodes[victim].waitForExit()
                // Sent while the buyer has no connection: they come back by resume.
                for index in 0..<5 {
                    expected.append("durante \(index)")
                    _ = try await seller.send(id, .init(content: expected.last!))
                }
                do {
                    try await connected.next(timeout: .seconds(20))
                } catch {
                    Issue.record("the buyer did not reconnect; the surviving node said:\n\(survivor.log().suffix(3000))")
                    throw error
                }
                for index in 0..<5 {
                    expected.append("después \(index)")
                    _ = try await seller.send(id, .init(content: expected.last!))
                }
                let timeout = Task {
                    try await Task.sleep(for: .seconds(30))
                    received.cancel()
                }
                defer { timeout.cancel() }
                let contents = await received.value
                #expect(contents == expected, "every message once, in order, across the failover")
                survivor.kill(SIGTERM)
                _ = survivor.waitForExit()
            }
        }

        @Test func redisRestartedUnderTwoNodeProcessesLosesNothingForAConnectedClient() async throws {
            let redis = try ThrowawayRedis()
            defer { redis.stop() }
            let folder = try makeTemporaryFolder("redis-restart")
            defer { try? FileManager.default.removeItem(at: folder) }
            try await ThrowawayPostgres.withDatabase { database in
                let nodes = try Self.nodes(2, database: database, redis: "redis://127.0.0.1:\(redis.port)", folder: folder)
                let (one, two) = (Self.base(nodes[0]), Self.base(nodes[1]))
                try await Self.waitUntilReady([one, two])
                let id = try await Self.client(one, "buyer1", .buyer).createThread(message: "hola").conversation.conversationID
                let seller = try await Self.client(two, "seller1", .seller)
                // The buyer stays connected to node 1 the whole time.
                _ = try await RealtimeSession.open(baseURL: one, credentials: .token(try await Self.token("buyer1", .buyer))) {
                    buyer in
                    try await buyer.send(.ping(id: nil))
                    _ = try await buyer.next { if case .pong = $0 { true } else { false } }
                    let before = try await seller.send(id, .init(content: "antes"))
                    #expect(try await buyer.next(timeout: .seconds(10)) { $0.newMessage != nil }.newMessage == before)

                    redis.stop()
                    // Stored on node 2 while Redis is away: its live event is lost on the way.
                    let during = try await seller.send(id, .init(content: "sin redis"))
                    try redis.start()
                    try await Self.waitUntilReady([one, two])
                    let after = try await seller.send(id, .init(content: "de vuelta"))
                    // Node 1 notices the missing position and reads it from the database: the
                    // buyer gets both, in order, without reconnecting.
                    let first = try await buyer.next(timeout: .seconds(10)) { $0.newMessage != nil }
                    let second = try await buyer.next(timeout: .seconds(10)) { $0.newMessage != nil }
                    #expect(first.newMessage == during)
                    #expect(second.newMessage == after)
                }
                for node in nodes { node.kill(SIGTERM) }
                for node in nodes { #expect(node.waitForExit() == 0) }
            }
        }

        @Test func withPostgresDownANodeIsNotReadySendsGet503AndNothingAcknowledgedIsLost() async throws {
            let postgres = try ThrowawayPostgresServer()
            let folder = try makeTemporaryFolder("pg-down")
            defer { try? FileManager.default.removeItem(at: folder) }
            let node = try Self.nodes(1, database: postgres.url, redis: "", folder: folder)[0]
            let url = Self.base(node)
            try await Self.waitUntilReady([url])
            let buyer = try await Self.client(url, "buyer1", .buyer)
            let id = try await buyer.createThread(message: "uno").conversation.conversationID
            var acknowledged: [Int64] = [1]
            for index in 0..<5 { acknowledged.append(try await buyer.send(id, .init(content: "m\(index)")).seq) }

            postgres.stop()
            #expect(try await buyer.raw(.GET, "/ready").status == 503)
            let refused = try await buyer.rawJSON(.POST, "/api/conversations/\(id)/messages", #"{"content":"sin base de datos"}"#)
            #expect(refused.status == 503)
            #expect(String(decoding: refused.body, as: UTF8.self).contains("\"unavailable\""))
            let list = try await buyer.raw(.GET, "/api/conversations")
            #expect(list.status == 503)

            try postgres.start()
            try await Self.waitUntilReady([url])
            let after = try await buyer.send(id, .init(content: "de vuelta"))
            let stored = try await buyer.messages(id, query: ["after": "0", "limit": "50"]).messages.map(\.seq)
            #expect(Set(acknowledged).isSubset(of: Set(stored)))
            #expect(stored == Array(1...after.seq), "gap-free: the refused send took no seq")
            #expect(after.seq == 7)
            node.kill(SIGTERM)
            #expect(node.waitForExit() == 0)
        }
    }
}

/// Waits for a realtime client to (re)connect, within a deadline.
final class ConnectionWatcher: Sendable {
    private let connections: AsyncStream<Void>

    init(_ states: AsyncStream<ParleyRealtimeClient.ConnectionState>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        connections = stream
        Task {
            for await state in states where state == .connected { continuation.yield() }
            continuation.finish()
        }
    }

    struct TimedOut: Error {}

    /// Returns at the next connection not yet waited for.
    func next(timeout: Duration) async throws {
        let connections = self.connections
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in connections { return true }
                return false
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            guard try await group.next() == true else { throw TimedOut() }
        }
    }
}
