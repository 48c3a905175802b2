import Foundation
import Logging
import ParleyCore
import Synchronization

/// A realtime connection that stays up: it reconnects with backoff and resumes from the
/// last cursor it saw, so a dropped connection loses and doubles nothing. Sends wait for
/// their `ack` and are repeated after a reconnect with the same `clientMessageId`
/// (idempotent on the server).
///
/// ```swift
/// let client = ParleyRealtimeClient(baseURL: url) { .token(try await myToken()) }
/// try await withThrowingTaskGroup(of: Void.self) { group in
///     group.addTask { await client.run() }
///     for await event in client.events { … }
/// }
/// ```
public final class ParleyRealtimeClient: Sendable {
    public enum ConnectionState: Sendable, Equatable {
        case connecting
        case connected
        case disconnected
    }

    public enum ClientError: Error, Sendable, Equatable {
        case refused(ErrorBody.Detail)
        case stopped
    }

    /// Longest wait between reconnect attempts.
    public static let maxBackoff: Duration = .seconds(5)

    private struct PendingSend {
        var frame: ClientFrame
        var promise: Promise<Message>
    }

    private struct State {
        var session: RealtimeSession?
        var cursor: String?
        var pending: [String: PendingSend] = [:]
        var nextFrameID = 0
        var stopped = false
    }

    public let events: AsyncStream<ServerEvent>
    public let states: AsyncStream<ConnectionState>
    private let eventsContinuation: AsyncStream<ServerEvent>.Continuation
    private let statesContinuation: AsyncStream<ConnectionState>.Continuation
    private let baseURL: String
    private let credentials: @Sendable () async throws -> RealtimeSession.Credentials
    private let logger: Logger
    private let state = Mutex(State())

    public init(
        baseURL: String, logger: Logger = Logger(label: "parley-realtime"),
        credentials: @escaping @Sendable () async throws -> RealtimeSession.Credentials
    ) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.logger = logger
        (events, eventsContinuation) = AsyncStream.makeStream(of: ServerEvent.self)
        (states, statesContinuation) = AsyncStream.makeStream(of: ConnectionState.self, bufferingPolicy: .bufferingNewest(8))
    }

    /// The cursor of the last `message.new` received: where a resume starts.
    public var cursor: String? { state.withLock { $0.cursor } }

    /// Connects and stays connected until the task is cancelled.
    public func run() async {
        var backoff: Duration = .milliseconds(100)
        while !Task.isCancelled {
            statesContinuation.yield(.connecting)
            do {
                // Resuming in the upgrade itself: no live event can come before the replay.
                _ = try await RealtimeSession.open(
                    baseURL: baseURL, credentials: try await credentials(), resumeFrom: cursor, logger: logger
                ) { session in
                    try await self.serve(session)
                }
                backoff = .milliseconds(100)
            } catch {
                logger.debug("realtime connection ended", metadata: ["error": "\(error)"])
            }
            state.withLock { $0.session = nil }
            statesContinuation.yield(.disconnected)
            if Task.isCancelled { break }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, Self.maxBackoff)
        }
        let pending = state.withLock { state in
            state.stopped = true
            defer { state.pending = [:] }
            return state.pending.values
        }
        for send in pending { send.promise.fail(ClientError.stopped) }
        eventsContinuation.finish()
        statesContinuation.finish()
    }

    private func serve(_ session: RealtimeSession) async throws {
        let unacknowledged = state.withLock { state in
            state.session = session
            return state.pending.values.map(\.frame)
        }
        for frame in unacknowledged { try await session.send(frame) }
        statesContinuation.yield(.connected)
        while true {
            let frame: ServerFrame
            do {
                frame = try await session.next(timeout: .seconds(3600))
            } catch RealtimeSession.SessionError.timedOut {
                continue
            }
            handle(frame)
        }
    }

    private func handle(_ frame: ServerFrame) {
        switch frame {
        case .event(let event):
            if case .messageNew(_, let cursor) = event { state.withLock { $0.cursor = cursor.token } }
            eventsContinuation.yield(event)
        case .ack(.string(let id)?, let message):
            state.withLock { $0.pending.removeValue(forKey: id) }?.promise.succeed(message)
        case .error(let id, let error):
            if error.code == "cursor_expired" {
                // Too far behind to resume: start live from here; the app reloads through REST.
                state.withLock { $0.cursor = nil }
                logger.warning("resume cursor expired; reload through REST")
            }
            if case .string(let key)? = id {
                state.withLock { $0.pending.removeValue(forKey: key) }?.promise.fail(ClientError.refused(error))
            }
        case .ack, .pong, .resumed:
            break
        }
    }

    /// Sends a message and returns it once the server has stored it. Survives
    /// reconnects: the same `clientMessageId` is sent again until acknowledged.
    public func send(
        conversationID: String, content: String, type: MessageType = .text, clientMessageID: String? = nil
    ) async throws -> Message {
        let clientMessageID = clientMessageID ?? Identifier.make(prefix: "cm")
        let promise = Promise<Message>()
        let registered: (RealtimeSession?, ClientFrame)? = state.withLock { state in
            guard !state.stopped else { return nil }
            state.nextFrameID += 1
            let id = "send-\(state.nextFrameID)"
            let frame = ClientFrame.messageSend(
                id: .string(id), conversationID: conversationID, content: content, contentType: type,
                clientMessageID: clientMessageID)
            state.pending[id] = PendingSend(frame: frame, promise: promise)
            return (state.session, frame)
        }
        guard let (session, frame) = registered else { throw ClientError.stopped }
        // If this write fails, `serve` sends the frame again after the reconnect.
        try? await session?.send(frame)
        return try await promise.value
    }

    /// Sends a frame that needs no answer (`typing`, `read`); dropped while disconnected.
    public func sendEphemeral(_ frame: ClientFrame) async {
        guard let session = state.withLock({ $0.session }) else { return }
        try? await session.send(frame)
    }

    /// Drops the current connection as a lost network would; `run()` reconnects and resumes.
    public func dropConnection() async {
        await state.withLock { $0.session }?.close()
    }
}
