import Foundation
import Logging
import NIOCore
import NIOPosix
import ParleyClient
import ParleyCore
import ParleyMedia
import ParleyRealtime
import ParleySQLite
import ParleyServer
import ParleyTestSupport
import ServiceLifecycle
import Synchronization
import Testing

/// The contract's "a connection that has not sent complete request headers within 30 s
/// is closed", with the deadline shortened to one second, over plain TCP sockets: a
/// slowloris (one byte now and then, each one activity) is cut off, while prompt
/// requests, keep-alive reuse and WebSockets are not.
@Suite struct ConnectionTimeoutTests {
    static let headTimeout: Duration = .seconds(1)
    /// How late a close may come after the deadline on a busy two-core machine: the
    /// whole suite runs in parallel on two cores, and a close was seen 6 s late there.
    static let slack: Duration = .seconds(10)
    /// One request, sent whole.
    static let healthRequest = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    /// An upload whose body stops arriving is closed after the idle timeout; one that
    /// keeps sending, slowly, is not.
    @Test func anUploadWhoseBodyStopsIsClosedAfterTheIdleTimeout() async throws {
        let idle: Duration = .seconds(1)
        try await TimedServer.with(requestHeadTimeout: .seconds(30), uploadIdleTimeout: idle) { port in
            let signer = try await TokenSigner(secret: TestServer.secret)
            let buyer = ParleyRESTClient(baseURL: "http://127.0.0.1:\(port)", token: try await signer.sign(userID: "buyer1", role: .buyer))
            let id = try await buyer.createThread().conversation.conversationID
            let token = try await signer.sign(userID: "buyer1", role: .buyer)
            let head =
                "POST /api/conversations/\(id)/attachments?name=lento.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer \(token)\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n"
            let stalled = try await RawHTTPConnection.run(port: port) { connection in
                _ = try await connection.send(Array(head.utf8) + Array(repeating: 0x41, count: 10))
                try await connection.waitForClose(within: idle + Self.slack)
            }
            let closedAfter = try #require(stalled.closedAfter, "a stalled upload was never closed")
            #expect(closedAfter >= idle - .milliseconds(100))
            // Slow but steady (a byte every 300 ms, under the idle timeout) goes on.
            let steady = try await RawHTTPConnection.run(port: port) { connection in
                _ = try await connection.send(Array(head.replacingOccurrences(of: "100000", with: "8").utf8))
                for _ in 0..<8 {
                    _ = try await connection.send([0x42])
                    try await Task.sleep(for: .milliseconds(300))
                }
                try await connection.waitForResponses(1)
            }
            #expect(steady.received.hasPrefix("HTTP/1.1 201"), "\(steady.received.prefix(200))")
        }
    }

    @Test func aRequestHeadSentOneByteAtATimeIsClosedAtTheDeadline() async throws {
        try await TimedServer.with(requestHeadTimeout: Self.headTimeout) { port in
            let transcript = try await RawHTTPConnection.run(port: port) { connection in
                // 36 bytes at 150 ms each would take ~5 s: far past the deadline.
                for byte in Self.healthRequest.utf8 {
                    guard try await connection.send([byte]) else { break }
                    try await Task.sleep(for: .milliseconds(150))
                }
                try await connection.waitForClose(within: Self.slack)
            }
            let closedAfter = try #require(transcript.closedAfter, "the slow client was never closed")
            #expect(closedAfter >= Self.headTimeout - .milliseconds(100))
            #expect(closedAfter <= Self.headTimeout + Self.slack)
            #expect(transcript.received.isEmpty, "a half-sent request gets no answer")
        }
    }

    @Test func aConnectionThatSendsNothingIsClosedAtTheDeadline() async throws {
        try await TimedServer.with(requestHeadTimeout: Self.headTimeout) { port in
            let transcript = try await RawHTTPConnection.run(port: port) { connection in
                try await connection.waitForClose(within: Self.headTimeout + Self.slack)
            }
            let closedAfter = try #require(transcript.closedAfter, "the silent client was never closed")
            #expect(closedAfter >= Self.headTimeout - .milliseconds(100))
        }
    }

    @Test func onKeepAliveTheNextHeadHasTheSameDeadlineFromTheEndOfTheResponse() async throws {
        try await TimedServer.with(requestHeadTimeout: Self.headTimeout) { port in
            let transcript = try await RawHTTPConnection.run(port: port) { connection in
                _ = try await connection.send(Array(Self.healthRequest.utf8))
                try await connection.waitForResponses(1)
                for byte in Self.healthRequest.utf8 {
                    guard try await connection.send([byte]) else { break }
                    try await Task.sleep(for: .milliseconds(150))
                }
                try await connection.waitForClose(within: Self.slack)
            }
            let closedAt = try #require(transcript.closedAt, "the slow second request was never cut off")
            // The one response is the last thing the server sent.
            let answered = try #require(transcript.lastReceivedAt)
            #expect(closedAt - answered >= Self.headTimeout - .milliseconds(100))
            #expect(closedAt - answered <= Self.headTimeout + Self.slack)
            #expect(transcript.responseCount == 1)
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosed() async throws {
        try await TimedServer.with(requestHeadTimeout: Self.headTimeout) { port in
            let transcript = try await RawHTTPConnection.run(port: port) { connection in
                _ = try await connection.send(Array(Self.healthRequest.utf8))
                try await connection.waitForResponses(1)
                try await connection.waitForClose(within: Self.headTimeout + Self.slack)
            }
            #expect(transcript.closedAfter != nil, "an idle keep-alive connection stayed open")
            #expect(transcript.responseCount == 1)
        }
    }

    @Test func promptRequestsOnOneConnectionOutlastTheDeadlineTogether() async throws {
        try await TimedServer.with(requestHeadTimeout: Self.headTimeout) { port in
            let transcript = try await RawHTTPConnection.run(port: port) { connection in
                // Five requests 300 ms apart: the connection lives 1.2 s, longer than
                // the deadline, and each head is prompt (700 ms to spare for a busy
                // machine's late wake-ups).
                for count in 1...5 {
                    if count > 1 { try await Task.sleep(for: .milliseconds(300)) }
                    #expect(try await connection.send(Array(Self.healthRequest.utf8)))
                    try await connection.waitForResponses(count)
                }
            }
            #expect(transcript.responseCount == 5)
            #expect(transcript.closedAfter == nil)
        }
    }

    @Test func aWebSocketStaysOpenLongerThanTheHeadDeadline() async throws {
        try await TimedServer.with(requestHeadTimeout: Self.headTimeout) { port in
            let token = try await TokenSigner(secret: TestServer.secret).sign(userID: "buyer1", role: .buyer)
            let outcome = try await RealtimeSession.open(baseURL: "http://127.0.0.1:\(port)", credentials: .token(token)) {
                session in
                try await Task.sleep(for: Self.headTimeout * 3)
                try await session.send(.ping(id: .number(1)))
                return try await session.next { if case .pong = $0 { true } else { false } }
            }
            guard case .pong = outcome.value else {
                Issue.record("expected a pong, got \(outcome.value)")
                return
            }
        }
    }

    @Test func connectionsBeyondTheNodesCapWaitUntilOneCloses() async throws {
        let timeout: Duration = .seconds(2)
        try await TimedServer.with(requestHeadTimeout: timeout, maxConnections: 2) { port in
            let request = Array(Self.healthRequest.utf8)
            _ = try await RawHTTPConnection.run(port: port) { first in
                _ = try await first.send(request)
                try await first.waitForResponses(1)
                _ = try await RawHTTPConnection.run(port: port) { second in
                    _ = try await second.send(request)
                    try await second.waitForResponses(1)
                    _ = try await RawHTTPConnection.run(port: port) { third in
                        _ = try await third.send(request)
                        // Two connections are open: the third waits in the listen backlog…
                        try await Task.sleep(for: timeout / 2)
                        #expect(third.responseCount == 0, "a third connection was served past a cap of two")
                        // …until the idle deadline closes the first two.
                        try await third.waitForResponses(1)
                    }
                }
            }
        }
    }

    @Test func shuttingDownDoesNotWaitForAConnectionThatSentNothing() async throws {
        // A deadline far beyond the test: only the shutdown can close the connection soon.
        try await InProcessNode.with({ $0.requestHeadTimeout = .seconds(60) }) { port, group in
            let transcript = try await RawHTTPConnection.run(port: port) { connection in
                try await Task.sleep(for: .milliseconds(200))
                await group.triggerGracefulShutdown()
                try await connection.waitForClose(within: .seconds(5))
            }
            #expect(transcript.closedAfter != nil, "the shutdown left a connection without a request open")
        }
    }

    @Test func theContractsDeadlineIsTheDefault() async throws {
        let verifier = try await TokenVerifier(key: .hmacSecret(TestServer.secret))
        #expect(ServerConfiguration(verifier: verifier).requestHeadTimeout == .seconds(30))
    }
}

/// A Parley node on SQLite in a temporary folder, its configuration changed by
/// `configure`, on a free loopback port for the length of `body`, which gets the port and
/// the node's service group (to shut it down itself).
enum InProcessNode {
    static func with<T: Sendable>(
        _ configure: (inout ServerConfiguration) -> Void, _ body: @Sendable (_ port: Int, _ group: ServiceGroup) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-node-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "parley-test")
        logger.logLevel = .error
        let store = try SQLiteConversationStore(path: folder.appendingPathComponent("db.sqlite").path, logger: logger)
        let verifier = try await TokenVerifier(key: .hmacSecret(TestServer.secret))
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, verifier: verifier, logger: logger)
        configuration.attachmentBlobs = try FolderBlobStore(path: folder.appendingPathComponent("attachments").path)
        configuration.uploadSpoolDirectory = folder.appendingPathComponent("uploads").path
        configure(&configuration)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(
            configuration: configuration, store: store, broker: InProcessBroker(), onListening: { portContinuation.yield($0) })
        return try await withRunningServiceGroup([app], logger: logger) { group in
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            return try await body(port, group)
        }
    }
}

/// A node with a chosen request-head deadline (and otherwise the defaults).
enum TimedServer {
    static func with<T: Sendable>(
        requestHeadTimeout: Duration, maxConnections: Int? = nil, uploadIdleTimeout: Duration = AttachmentLimits.uploadIdleTimeout,
        _ body: @Sendable (_ port: Int) async throws -> T
    ) async throws -> T {
        try await InProcessNode.with({ configuration in
            configuration.requestHeadTimeout = requestHeadTimeout
            configuration.maxConnections = maxConnections
            configuration.uploadIdleTimeout = uploadIdleTimeout
        }) { port, _ in try await body(port) }
    }
}

/// A plain TCP connection that sends HTTP by hand (a byte at a time, if need be) and
/// records what the server answers and when it closes.
final class RawHTTPConnection: Sendable {
    /// What happened on one connection.
    struct Transcript: Sendable {
        var received = ""
        var openedAt: ContinuousClock.Instant
        var closedAt: ContinuousClock.Instant?
        /// When the last bytes from the server arrived.
        var lastReceivedAt: ContinuousClock.Instant?
        var closedAfter: Duration? { closedAt.map { $0 - openedAt } }
        var responseCount: Int { received.components(separatedBy: "HTTP/1.1 ").count - 1 }
    }

    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let transcript: Mutex<Transcript>

    private init(outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, openedAt: ContinuousClock.Instant) {
        self.outbound = outbound
        self.transcript = Mutex(Transcript(openedAt: openedAt))
    }

    /// Connects to 127.0.0.1:`port`, runs `script` while reading everything the server
    /// sends, then hangs up; returns what the server sent and when it closed (if it did).
    static func run(port: Int, _ script: @Sendable (RawHTTPConnection) async throws -> Void) async throws -> Transcript {
        // The clock starts on the event loop, before the connection is made, so it never
        // starts after the server's: a task resumed late on a busy machine would otherwise
        // make a deadline kept to the millisecond look early.
        let started = Mutex(ContinuousClock.now)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                started.withLock { $0 = .now }
                return channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let openedAt = started.withLock { $0 }
        return try await channel.executeThenClose { inbound, outbound in
            let connection = RawHTTPConnection(outbound: outbound, openedAt: openedAt)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await buffer in inbound {
                            connection.transcript.withLock {
                                $0.received += String(buffer: buffer)
                                $0.lastReceivedAt = .now
                            }
                        }
                    } catch {
                        // A reset is a close too.
                    }
                    // Cancelled: the script ended with the connection still open.
                    if !Task.isCancelled { connection.transcript.withLock { $0.closedAt = .now } }
                }
                try await script(connection)
                group.cancelAll()
            }
            return connection.transcript.withLock { $0 }
        }
    }

    var isClosed: Bool { transcript.withLock { $0.closedAt != nil } }
    var responseCount: Int { transcript.withLock { $0.responseCount } }

    /// Sends `bytes`; `false` when the server has closed the connection already.
    func send(_ bytes: [UInt8]) async throws -> Bool {
        guard !isClosed else { return false }
        do {
            try await outbound.write(ByteBuffer(bytes: bytes))
            return true
        } catch {
            // The server closed it: a busy machine may run this before the reader sees
            // the end of the stream, so record the close here too.
            transcript.withLock { if $0.closedAt == nil { $0.closedAt = .now } }
            return false
        }
    }

    /// Waits (at most `limit`) until the server closes the connection.
    func waitForClose(within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while !isClosed, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits (at most 5 s) until `count` responses have arrived.
    func waitForResponses(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while transcript.withLock({ $0.responseCount < count }), !isClosed, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let received = transcript.withLock { $0.responseCount }
        #expect(received >= count, "expected \(count) responses, got \(received)")
    }
}
