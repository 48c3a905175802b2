import Foundation
import Logging
import NIOCore
import ParleyCore
import ParleyRealtime
import ParleySQLite
import ServiceLifecycle
import Testing

@testable import ParleyServer

/// The realtime pings (`RealtimeLivenessHandler`): a client that answers nothing is
/// closed, one that answers stays. Over a raw socket, with pings every second (every
/// four for the one that answers).
@Suite struct RealtimeLivenessTests {
    static let pingInterval: Duration = .seconds(1)
    static let answeringPingInterval: Duration = .seconds(4)

    @Test func aClientThatNeverAnswersIsClosedWithPingTimeout() async throws {
        try await Self.withServer { port, token in
            let transcript = try await RawHTTPConnection.run(port: port) { connection in
                _ = try await connection.send(Self.upgrade(token: token))
                // A ping after one interval; nothing answered by the next one: closed.
                try await connection.waitForClose(within: .seconds(15))
            }
            #expect(transcript.closedAt != nil, "a client that answered nothing was not closed")
            #expect(transcript.received.contains(RealtimeLivenessHandler.timeoutReason))
        }
    }

    @Test func aClientThatAnswersPingsStaysOpen() async throws {
        // A longer interval here: the client shares the test process's two cores with the
        // whole suite, and a fresh-clone CI run once starved it past a one-second interval
        // (its eight half-second sleeps took 26 s), so the server rightly closed it.
        let interval = Self.answeringPingInterval
        try await Self.withServer(pingInterval: interval) { port, token in
            let transcript = try await RawHTTPConnection.run(port: port) { connection in
                _ = try await connection.send(Self.upgrade(token: token))
                // A pong (masked, empty) every half second, for three intervals.
                let end = ContinuousClock.now + interval * 3
                while ContinuousClock.now < end {
                    try await Task.sleep(for: .milliseconds(500))
                    _ = try await connection.send([0x8A, 0x80, 0x11, 0x22, 0x33, 0x44])
                }
                #expect(!connection.isClosed, "a client that answered was closed")
            }
            #expect(!transcript.received.contains(RealtimeLivenessHandler.timeoutReason))
        }
    }

    static func upgrade(token: String) -> [UInt8] {
        Array(
            ("GET /api/realtime HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer \(token)\r\n\r\n").utf8)
    }

    /// A node with pings every `pingInterval`, on a port, until `body` returns.
    static func withServer(
        pingInterval: Duration = pingInterval, _ body: @Sendable (Int, String) async throws -> Void
    ) async throws {
        let token = try await TokenSigner(secret: TestServer.secret).sign(userID: "buyer1", role: .buyer)
        try await InProcessNode.with({ $0.webSocketPingInterval = pingInterval }) { port, _ in try await body(port, token) }
    }
}
