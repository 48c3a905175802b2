import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import ParleyCore
import Synchronization

/// One WebSocket connection to Parley's `/api/realtime`, for as long as a closure runs.
///
/// ```swift
/// let outcome = try await RealtimeSession.open(baseURL: url, token: token) { session in
///     try await session.send(.ping(id: .number(1)))
///     return try await session.next()
/// }
/// ```
public final class RealtimeSession: Sendable {
    /// How the connection authenticates.
    public enum Credentials: Sendable {
        case token(String)
        case ticket(String)
        case none
    }

    /// What a session ended with: the closure's value and the server's close frame.
    public struct Outcome<Value: Sendable>: Sendable {
        public var value: Value
        public var closeCode: WebSocketErrorCode?
        public var closeReason: String?
    }

    public enum SessionError: Error, Sendable {
        case timedOut
        case closed
    }

    /// Largest frame accepted from the server: a resume page never sends one larger than
    /// one event, and an event is at most a 16 KiB message in JSON.
    public static let maxInboundFrameBytes = 1 << 20
    /// How long a closing session waits for the server's end of the stream.
    static let closeGrace: Duration = .seconds(5)

    private let outbound: WebSocketOutboundWriter
    private let inbox = FrameInbox()

    private init(outbound: WebSocketOutboundWriter) {
        self.outbound = outbound
    }

    /// Connects, runs `body` with the session, then closes. With `reading: false` the
    /// session never reads what the server sends (to test slow consumers).
    public static func open<Value: Sendable>(
        baseURL: String, credentials: Credentials, resumeFrom cursor: String? = nil, origin: String? = nil,
        reading: Bool = true,
        logger: Logger = Logger(label: "parley-client"),
        _ body: @escaping @Sendable (RealtimeSession) async throws -> Value
    ) async throws -> Outcome<Value> {
        var url = baseURL.replacingOccurrences(of: "http://", with: "ws://").replacingOccurrences(of: "https://", with: "wss://")
        url += "/api/realtime"
        var configuration = WebSocketClientConfiguration(maxFrameSize: maxInboundFrameBytes, autoPing: .disabled)
        switch credentials {
        case .token(let token): configuration.additionalHeaders[.authorization] = "Bearer \(token)"
        case .ticket(let ticket): url += "?ticket=\(ticket)"
        case .none: break
        }
        if let cursor { url += (url.contains("?") ? "&" : "?") + "cursor=\(cursor)" }
        if let origin { configuration.additionalHeaders[.origin] = origin }
        let result = Mutex<Result<Value, any Error>?>(nil)
        let closeFrame = try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) {
            inbound, outbound, _ in
            let session = RealtimeSession(outbound: outbound)
            try await withThrowingTaskGroup(of: Void.self) { group in
                if reading {
                    group.addTask {
                        defer { session.inbox.finish() }
                        for try await message in inbound.messages(maxSize: maxInboundFrameBytes) {
                            if case .text(let text) = message { session.inbox.push(text) }
                        }
                    }
                }
                do {
                    let value = try await body(session)
                    result.withLock { $0 = .success(value) }
                } catch {
                    result.withLock { $0 = .failure(error) }
                }
                if reading {
                    // The body is done: close and let the reader see the end of the stream,
                    // for at most `closeGrace` (a server that never answers the close must
                    // not hold the caller forever).
                    try? await outbound.close(.normalClosure, reason: nil)
                    group.addTask { try await Task.sleep(for: closeGrace) }
                    try? await group.next()
                }
                group.cancelAll()
            }
        }
        guard let outcome = result.withLock({ $0 }) else { throw SessionError.closed }
        return Outcome(value: try outcome.get(), closeCode: closeFrame?.closeCode, closeReason: closeFrame?.reason)
    }

    // MARK: Sending

    public func send(_ frame: ClientFrame) async throws {
        try await sendRaw(String(decoding: try JSONEncoder().encode(frame), as: UTF8.self))
    }

    /// Sends any text, valid or not.
    public func sendRaw(_ text: String) async throws {
        try await outbound.write(.text(text))
    }

    /// Closes the connection from the client side.
    public func close() async {
        try? await outbound.close(.goingAway, reason: nil)
    }

    public func sendBinary(_ bytes: [UInt8]) async throws {
        try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
    }

    // MARK: Receiving

    /// The next frame from the server, or `SessionError.timedOut`/`.closed`.
    public func next(timeout: Duration = .seconds(5)) async throws -> ServerFrame {
        guard let text = try await nextRaw(timeout: timeout) else { throw SessionError.closed }
        return try JSONDecoder().decode(ServerFrame.self, from: Data(text.utf8))
    }

    /// The next frame, however long it takes; `nil` when the connection has ended.
    public func receive() async throws -> ServerFrame? {
        guard let text = try await inbox.next() else { return nil }
        return try JSONDecoder().decode(ServerFrame.self, from: Data(text.utf8))
    }

    /// The next frame's text, `nil` when the connection has ended.
    public func nextRaw(timeout: Duration = .seconds(5)) async throws -> String? {
        do {
            return try await inbox.next(timeout: timeout)
        } catch FrameInbox.Failure.timedOut {
            throw SessionError.timedOut
        }
    }

    /// Frames until `predicate` matches one (which is returned); the others are dropped.
    public func next(timeout: Duration = .seconds(5), where predicate: (ServerFrame) -> Bool) async throws -> ServerFrame {
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw SessionError.timedOut }
            let frame = try await next(timeout: remaining)
            if predicate(frame) { return frame }
        }
    }

    /// Every frame that arrives within `duration` (for asserting that nothing came).
    public func drain(for duration: Duration) async throws -> [ServerFrame] {
        var frames: [ServerFrame] = []
        let deadline = ContinuousClock.now + duration
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return frames }
            do {
                frames.append(try await next(timeout: remaining))
            } catch SessionError.timedOut {
                return frames
            }
        }
    }
}
