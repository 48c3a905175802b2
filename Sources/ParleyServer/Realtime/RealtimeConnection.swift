import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import ParleyCore
import ParleyRealtime
import Synchronization

/// One WebSocket connection of one user: reads client frames, answers them, and
/// writes the hub's events through a bounded queue.
///
/// Concurrency: the reader runs in the WebSocket handler's task and handles frames in
/// order (sends run concurrently, at most `maxSendsInFlight`); a child task writes the
/// outbound queue. `state` (a `Mutex`) holds what the hub's thread and the reader share:
/// the resume buffer and the position of the last message written.
final class RealtimeConnection: EventSink, @unchecked Sendable {
    /// Whole inbound messages, not frames: a 16 KiB message in JSON with room to spare.
    static let maxInboundMessageBytes = 64 * 1024
    /// Frames waiting to be written. A client that stops reading fills it and is closed
    /// (it resumes later); server memory stays bounded.
    static let maxOutboundQueue = 1_024
    /// Frames a client may send per second, and the burst above it.
    static let framesPerSecond = 100.0
    static let frameBurst = 200.0
    /// Refused frames tolerated before a flooding client is closed.
    static let maxRefusedFrames = 50
    /// Concurrent `message.send` frames per connection: enough to pipeline, bounded.
    static let maxSendsInFlight = 64
    /// Messages read from the store per resume page.
    static let resumePageSize = 500
    /// Time a closing client has to read what is queued and answer the close.
    static let closeGrace: Duration = .seconds(2)
    /// A `typing` frame per conversation is forwarded at most this often.
    static let typingIntervalMilliseconds: Int64 = 1_000

    private struct State {
        var resuming = false
        var pending: [OutboundFrame] = []
        var lastPosition: Int64 = 0
        /// Messages already delivered live, so a later resume does not send them again.
        var livePositions = Set<Int64>()
        var closeReason: (WebSocketErrorCode, String)?
    }

    /// Live positions remembered for resume: a client resumes right after connecting,
    /// so only the first few matter; past this many, no more are remembered.
    static let maxRememberedLivePositions = 4_096

    let principal: Principal
    private let messaging: MessagingService
    private let presence: PresenceService
    private let metrics: ServerMetrics
    private let clock: any WallClock
    private let logger: Logger
    private let channel: any Channel
    private let state = Mutex(State())
    private let queue: AsyncStream<String>
    private let queueContinuation: AsyncStream<String>.Continuation
    private var frameBucket: TokenBucket
    private var refusedFrames = 0
    private var lastTyping: [String: Int64] = [:]

    init(principal: Principal, messaging: MessagingService, presence: PresenceService, metrics: ServerMetrics,
         clock: any WallClock, logger: Logger, channel: any Channel) {
        self.principal = principal
        self.messaging = messaging
        self.presence = presence
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.channel = channel
        (queue, queueContinuation) = AsyncStream.makeStream(
            of: String.self, bufferingPolicy: .bufferingOldest(Self.maxOutboundQueue))
        frameBucket = TokenBucket(rate: Self.framesPerSecond, burst: Self.frameBurst, now: clock.now())
    }

    // MARK: EventSink (called by the hub)

    func enqueue(_ frame: OutboundFrame) -> Bool {
        state.withLock { state in
            if state.resuming {
                guard state.pending.count < Self.maxOutboundQueue else { return false }
                state.pending.append(frame)
                return true
            }
            if let position = frame.position {
                if position <= state.lastPosition { return true }
                state.lastPosition = position
                if state.livePositions.count < Self.maxRememberedLivePositions { state.livePositions.insert(position) }
            }
            return Self.accepted(queueContinuation.yield(frame.text))
        }
    }

    func overflowed() {
        close(.unknown(1013), "slow consumer: outbound queue full; reconnect and resume")
        metrics.slowConsumersClosed.increment()
    }

    var expiresAt: Timestamp? { principal.expiresAt }

    func expired() {
        close(.policyViolation, "token expired; reconnect with a new token and resume")
    }

    private static func accepted(_ result: AsyncStream<String>.Continuation.YieldResult) -> Bool {
        if case .dropped = result { return false }
        return true
    }

    // MARK: Life

    /// Serves the connection until the client leaves or it is closed.
    /// With `resumeCursor` (from `?cursor=` on the upgrade), the connection first replays
    /// what came after it and only then delivers live events: nothing live can come
    /// before the replay.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, hub: Hub, resumeCursor: String?) async throws {
        if resumeCursor != nil { state.withLock { $0.resuming = true } }
        let connectionID = hub.register(userID: principal.userID, sink: self)
        metrics.webSocketConnections.increment()
        logger.debug("realtime connection opened", metadata: ["user": "\(principal.userID)"])
        defer {
            let remaining = hub.unregister(userID: principal.userID, id: connectionID)
            if remaining == 0 { presence.disconnected(principal.userID) }
            metrics.webSocketConnections.decrement()
            queueContinuation.finish()
            logger.debug("realtime connection closed", metadata: ["user": "\(principal.userID)"])
        }
        for userID in await presence.connected(principal.userID) {
            send(.event(.presence(userID: userID, state: .online, lastSeen: nil)))
        }
        let (writerFinished, writerFinishedContinuation) = AsyncStream.makeStream(of: Void.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.writeQueue(to: outbound)
                writerFinishedContinuation.finish()
            }
            defer { group.cancelAll() }
            if let resumeCursor { try await resume(after: resumeCursor, id: nil) }
            try await readFrames(from: inbound, sends: &group)
            if state.withLock({ $0.closeReason != nil }) {
                // Closing on our side: let the writer send what is queued and the close
                // frame (the grace timer bounds the wait).
                for await _ in writerFinished {}
            }
        }
    }

    private func writeQueue(to outbound: WebSocketOutboundWriter) async {
        for await text in queue {
            do {
                try await outbound.write(.text(text))
            } catch {
                break
            }
        }
        if let (code, reason) = state.withLock({ $0.closeReason }) {
            try? await outbound.close(code, reason: reason)
        }
    }

    /// Stops writing events and closes with `code` once what is queued is out.
    private func close(_ code: WebSocketErrorCode, _ reason: String) {
        let first = state.withLock { state -> Bool in
            guard state.closeReason == nil else { return false }
            state.closeReason = (code, reason)
            return true
        }
        if first {
            logger.info("closing realtime connection", metadata: ["user": "\(principal.userID)", "reason": "\(reason)"])
            queueContinuation.finish()
            // A client that does not read may never take the close: after the grace
            // period, close the socket (an event-loop timer, only for closing connections).
            let channel = self.channel
            channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(Self.closeGrace.components.seconds) * 1_000_000_000)) {
                channel.close(promise: nil)
            }
        }
    }

    // MARK: Frames from the client

    private func readFrames(from inbound: WebSocketInboundStream, sends: inout ThrowingTaskGroup<Void, any Error>) async throws {
        var inFlight = 0
        for try await message in inbound.messages(maxSize: Self.maxInboundMessageBytes) {
            metrics.webSocketFramesReceived.increment()
            if state.withLock({ $0.closeReason != nil }) { break }
            guard admitFrame() else { continue }
            guard case .text(let text) = message else {
                send(.error(id: nil, error: .init(code: "bad_frame", message: "frames must be JSON text")))
                continue
            }
            let frame: ClientFrame
            do {
                frame = try JSONDecoder().decode(ClientFrame.self, from: Data(text.utf8))
            } catch {
                let id = try? JSONDecoder().decode(FrameIDOnly.self, from: Data(text.utf8)).id
                let problem = (error as? DecodingError).map(JSONBody.describe) ?? .invalid(field: "frame", reason: "not valid JSON")
                send(.error(id: id, error: .init(code: problem.code, message: problem.message)))
                continue
            }
            if case .messageSend = frame {
                if inFlight >= Self.maxSendsInFlight {
                    try await sends.next()
                    inFlight -= 1
                }
                inFlight += 1
                sends.addTask { await self.handle(frame) }
            } else {
                await handle(frame)
            }
        }
    }

    /// Rate-limits frames: refused frames get `rate_limited`; a client that keeps
    /// flooding is closed.
    private func admitFrame() -> Bool {
        guard let wait = frameBucket.take(at: clock.now()) else {
            refusedFrames = max(0, refusedFrames - 1)
            return true
        }
        refusedFrames += 1
        if refusedFrames > Self.maxRefusedFrames {
            close(.policyViolation, "flooding: too many frames")
        } else {
            let error = ParleyError.rateLimited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
            send(.error(id: nil, error: .init(code: error.code, message: error.message)))
        }
        return false
    }

    private func handle(_ frame: ClientFrame) async {
        do {
            switch frame {
            case .messageSend(let id, let conversationID, let content, let contentType, let clientMessageID):
                let result = try await messaging.send(
                    conversationID, SendMessageBody(content: content, type: contentType, clientMessageId: clientMessageID),
                    by: principal)
                if result.created { metrics.messagesStored.increment() }
                send(.ack(id: id, message: result.message))
            case .typing(_, let conversationID, let typingState):
                let now = clock.now().millisecondsSince1970
                if typingState == .start, let last = lastTyping[conversationID], now - last < Self.typingIntervalMilliseconds {
                    return
                }
                lastTyping[conversationID] = typingState == .start ? now : nil
                try await messaging.typing(conversationID, state: typingState, by: principal)
            case .read(_, let conversationID, let seq):
                _ = try await messaging.markRead(conversationID, seq: seq, by: principal)
            case .resume(let id, let cursor):
                try await resume(after: cursor, id: id)
            case .ping(let id):
                send(.pong(id: id))
            }
        } catch let error as ParleyError {
            send(.error(id: frame.id, error: .init(code: error.code, message: error.message)))
        } catch {
            logger.error("realtime frame failed", metadata: ["error": "\(error)"])
            send(.error(id: frame.id, error: .init(code: "internal_error", message: "the server failed; the error was logged")))
        }
    }

    /// Every `message.new` after `cursor`, in commit order, then `resumed`. Live events
    /// that arrive meanwhile wait in `pending` and go out after, without duplicates.
    private func resume(after cursor: String, id: FrameID?) async throws {
        guard let start = ResumeCursor(token: cursor), start.position <= (try await messaging.store.latestPosition()) else {
            endResume(at: 0)
            send(.error(id: id, error: .init(code: "cursor_expired", message: "unknown or expired cursor; reload through REST")))
            return
        }
        state.withLock { state in
            state.resuming = true
            state.pending = []
        }
        var position = start.position
        do {
            while true {
                let page = try await messaging.messagesForResume(after: position, for: principal, limit: Self.resumePageSize)
                for item in page {
                    position = item.position
                    if state.withLock({ $0.livePositions.contains(item.position) }) { continue }
                    send(.event(.messageNew(message: item.message, cursor: ResumeCursor(position: item.position).token)))
                }
                if page.count < Self.resumePageSize { break }
            }
        } catch {
            endResume(at: position)
            throw error
        }
        endResume(at: position)
        send(.resumed(id: id))
    }

    private func endResume(at position: Int64) {
        let overflow = state.withLock { state -> Bool in
            state.resuming = false
            state.lastPosition = max(state.lastPosition, position)
            let pending = state.pending
            state.pending = []
            for frame in pending {
                if let framePosition = frame.position {
                    if framePosition <= state.lastPosition { continue }
                    state.lastPosition = framePosition
                }
                if !Self.accepted(queueContinuation.yield(frame.text)) { return true }
            }
            return false
        }
        if overflow { overflowed() }
    }

    /// Queues an answer or event for this connection only.
    private func send(_ frame: ServerFrame) {
        guard let data = try? JSONEncoder().encode(frame) else { return }
        if !Self.accepted(queueContinuation.yield(String(decoding: data, as: UTF8.self))) { overflowed() }
    }
}

/// Reads only the `id` of a frame that could not be decoded, to echo it in the error.
private struct FrameIDOnly: Decodable {
    var id: FrameID?
}
