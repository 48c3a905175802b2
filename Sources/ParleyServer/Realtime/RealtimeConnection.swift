import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import ParleyCore
import ParleyMessaging
import ParleyRealtime
import Synchronization

/// One WebSocket connection of one user: reads client frames, answers them, and
/// writes the hub's events through a bounded queue.
///
/// Concurrency: the reader runs in the WebSocket handler's task and handles frames in
/// order; `message.send` frames go, in order, to one sender task that stores them one
/// after the other (so they commit in the order they were sent), while the reader goes
/// on; a child task writes the outbound queue. `state` (a `Mutex`) holds what the hub's
/// thread and the reader share: the frames held during a resume and the position of the
/// last message queued. `lastTyping`, `frameBucket` and `refusedFrames` belong to the
/// reader alone.
final class RealtimeConnection: EventSink, @unchecked Sendable {
    /// Whole inbound messages, not frames: a 16 KiB message in JSON with room to spare.
    static let maxInboundMessageBytes = 64 * 1024
    /// Frames waiting to be written. A client that stops reading fills it and is closed
    /// (it resumes later); server memory stays bounded.
    static let maxOutboundFrames = 1_024
    /// Bytes waiting to be written: a `message.new` of 16 KiB of content is under 100 KiB
    /// of JSON even fully escaped, so this holds at least ten of the largest and about a
    /// thousand ordinary ones; 18,000 connections can never queue more than 18 GiB, and
    /// in practice queues are empty.
    static let maxOutboundBytes = 1 << 20
    /// Frames a client may send per second, and the burst above it.
    static let framesPerSecond = 100.0
    static let frameBurst = 200.0
    /// Refused frames tolerated before a flooding client is closed.
    static let maxRefusedFrames = 50
    /// `message.send` frames read but not yet stored, per connection: enough to pipeline,
    /// bounded (past it the reader waits).
    static let maxSendsInFlight = 64
    /// Messages read from the store per resume page.
    static let resumePageSize = 500
    /// Time a closing client has to read what is queued and answer the close.
    static let closeGrace: Duration = .seconds(2)
    /// A `typing` frame per conversation is forwarded at most this often.
    static let typingIntervalMilliseconds: Int64 = 1_000
    /// Conversations whose last `typing` a connection remembers. Entries older than the
    /// interval throttle nothing and are dropped first; at 100 frames/s with bursts of
    /// 200, no more than about 300 can be younger.
    static let maxTypingConversations = 512

    /// Close codes and reasons a client may act on.
    enum CloseReason {
        static let slowConsumer = (WebSocketErrorCode.unknown(1013), "slow consumer: outbound queue full; reconnect and resume")
        static let missedLiveMessages = (WebSocketErrorCode.unknown(1013), "missed live messages; reconnect and resume")
        static let tokenExpired = (WebSocketErrorCode.policyViolation, "token expired; reconnect with a new token and resume")
        static let flooding = (WebSocketErrorCode.policyViolation, "flooding: too many frames")
    }

    private struct State {
        var resuming = false
        /// Live frames that came during a resume, sent after it (bounded: see `enqueue`).
        var pending: [OutboundFrame] = []
        var pendingBytes = 0
        /// A live `message.new` did not fit in `pending` during the resume: the resume
        /// reads the store once more before it ends (the message is committed there).
        var droppedLiveMessage = false
        var lastPosition: Int64 = 0
        var closeReason: (WebSocketErrorCode, String)?
    }

    let principal: Principal
    private let messaging: MessagingService
    private let presence: PresenceService
    private let metrics: ServerMetrics
    private let clock: any WallClock
    private let logger: Logger
    private let channel: any Channel
    private let state = Mutex(State())
    private let queue = OutboundQueue(limits: .init(maxFrames: maxOutboundFrames, maxBytes: maxOutboundBytes))
    private var frameBucket: TokenBucket
    private var refusedFrames = 0
    private var lastTyping: [OpaqueID: Int64] = [:]

    init(principal: Principal, messaging: MessagingService, presence: PresenceService, metrics: ServerMetrics,
         clock: any WallClock, logger: Logger, channel: any Channel) {
        self.principal = principal
        self.messaging = messaging
        self.presence = presence
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.channel = channel
        frameBucket = TokenBucket(rate: Self.framesPerSecond, burst: Self.frameBurst, now: clock.now())
    }

    // MARK: EventSink (called by the hub)

    func enqueue(_ frame: OutboundFrame) -> Bool {
        state.withLock { state in
            if state.resuming {
                // Held for after the replay, within half the queue's bounds (the replay
                // uses at most a quarter; the flush must fit in what is left).
                let bytes = frame.text.utf8.count
                if state.pending.count < Self.maxOutboundFrames / 2, state.pendingBytes + bytes <= Self.maxOutboundBytes / 2 {
                    state.pending.append(frame)
                    state.pendingBytes += bytes
                    return true
                }
                if frame.position != nil {
                    // Committed, so the replay can read it again rather than hold it.
                    state.droppedLiveMessage = true
                    return true
                }
                return false
            }
            if let position = frame.position {
                if position <= state.lastPosition { return true }
                state.lastPosition = position
            }
            return queue.offer(frame.text)
        }
    }

    func overflowed() {
        close(CloseReason.slowConsumer)
        metrics.slowConsumersClosed.increment()
    }

    var expiresAt: Timestamp? { principal.expiresAt }

    func expired() {
        close(CloseReason.tokenExpired)
    }

    func missedLiveMessages() {
        close(CloseReason.missedLiveMessages)
        metrics.realtimeClosed(reason: "missed_live_messages")
    }

    // MARK: Life

    /// Serves the connection until the client leaves or it is closed.
    /// With `resumeCursor` (from `?cursor=` on the upgrade), the connection first replays
    /// what came after it and only then delivers live events: nothing live can come
    /// before the replay.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, hub: Hub, resumeCursor: String?) async throws {
        if resumeCursor != nil { state.withLock { $0.resuming = true } }
        let connectionID: Hub.ConnectionID
        do {
            connectionID = try hub.register(userID: principal.userID, sink: self)
        } catch {
            let (code, reason, label) =
                switch error {
                case .tooManyForUser(let limit):
                    (WebSocketErrorCode.policyViolation, "too many connections for this user (at most \(limit) per node)", "user")
                case .nodeFull(let limit):
                    (WebSocketErrorCode.unknown(1013), "server at its connection limit (\(limit)); try again later", "node")
                }
            metrics.realtimeRefused(reason: label)
            logger.notice("realtime connection refused", metadata: ["user": "\(principal.userID)", "reason": "\(reason)"])
            try? await outbound.close(code, reason: reason)
            return
        }
        // The socket going away ends the queue: a replay or a snapshot in progress stops.
        let queue = self.queue
        channel.closeFuture.whenComplete { _ in queue.finish() }
        metrics.webSocketConnections.increment()
        logger.debug("realtime connection opened", metadata: ["user": "\(principal.userID)"])
        defer {
            let remaining = hub.unregister(userID: principal.userID, id: connectionID)
            if remaining == 0 { presence.disconnected(principal.userID) }
            metrics.webSocketConnections.decrement()
            logger.debug("realtime connection closed", metadata: ["user": "\(principal.userID)"])
        }
        let (writerFinished, writerFinishedContinuation) = AsyncStream.makeStream(of: Void.self)
        let (sends, sendsContinuation) = AsyncStream.makeStream(of: ClientFrame.self)
        let sendSlots = SendSlots(limit: Self.maxSendsInFlight)
        let presence = self.presence
        let userID = principal.userID
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Written by the writer ahead of the queue, at the pace the client reads: a
                // user with 50,000 related users online must not overflow (or fill) the
                // live queue. Looked up here, not before the reader starts: with Redis slow
                // or away the lookup can take seconds, and frames are handled meanwhile.
                let snapshot = await presence.connected(userID)
                await self.writePresence(snapshot, to: outbound)
                await self.writeQueue(to: outbound)
                writerFinishedContinuation.finish()
            }
            group.addTask {
                // One at a time, in frame order: commit order is frame order.
                for await frame in sends {
                    await self.handle(frame)
                    sendSlots.release()
                }
                // Stopped (the connection ends, or the task was cancelled with sends still
                // queued): nobody may wait for a slot or for idleness any longer.
                sendSlots.releaseAll()
            }
            defer { group.cancelAll() }
            // The writer waits on the queue, which does not heed cancellation: when the
            // reader ends (the client closed, or a frame broke the protocol), the queue
            // ends too and the writer sends what is left, then stops.
            defer { queue.finish() }
            defer { sendsContinuation.finish() }
            if let resumeCursor { try await resume(after: resumeCursor, id: nil) }
            try await readFrames(from: inbound, sends: sendsContinuation, slots: sendSlots)
            if state.withLock({ $0.closeReason != nil }) {
                // Closing on our side: let the writer send what is queued and the close
                // frame (the grace timer bounds the wait).
                for await _ in writerFinished {}
            }
        }
    }

    private func writePresence(_ userIDs: [String], to outbound: WebSocketOutboundWriter) async {
        for userID in userIDs {
            if queue.isFinished { return }
            guard let text = Self.text(of: .event(.presence(userID: userID, state: .online, lastSeen: nil))) else { continue }
            do {
                try await outbound.write(.text(text))
            } catch {
                queue.finish()
                return
            }
        }
    }

    private func writeQueue(to outbound: WebSocketOutboundWriter) async {
        while let text = await queue.next() {
            do {
                try await outbound.write(.text(text))
            } catch {
                queue.finish()
                break
            }
        }
        if let (code, reason) = state.withLock({ $0.closeReason }) {
            try? await outbound.close(code, reason: reason)
        }
    }

    /// Stops writing events and closes with `code` once what is queued is out.
    private func close(_ reason: (WebSocketErrorCode, String)) {
        let (code, text) = reason
        let first = state.withLock { state -> Bool in
            guard state.closeReason == nil else { return false }
            state.closeReason = (code, text)
            return true
        }
        if first {
            logger.info("closing realtime connection", metadata: ["user": "\(principal.userID)", "reason": "\(text)"])
            queue.finish()
            // A client that does not read may never take the close: after the grace
            // period, close the socket (an event-loop timer, only for closing connections).
            let channel = self.channel
            channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(Self.closeGrace.components.seconds) * 1_000_000_000)) {
                channel.close(promise: nil)
            }
        }
    }

    // MARK: Frames from the client

    private func readFrames(
        from inbound: WebSocketInboundStream, sends: AsyncStream<ClientFrame>.Continuation, slots: SendSlots
    ) async throws {
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
                let problem = (error as? DecodingError).map(ParleyJSONDecoder.describe) ?? .invalid(field: "frame", reason: "not valid JSON")
                send(.error(id: id, error: .init(code: problem.code, message: problem.message)))
                continue
            }
            if case .messageSend = frame {
                await slots.acquire()
                sends.yield(frame)
            } else {
                // Frames are handled in the order they were sent: sends pipeline among
                // themselves, but a `ping`, `read` or `resume` after them waits until
                // they are stored.
                await slots.waitUntilIdle()
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
            close(CloseReason.flooding)
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
                let draft = MessageDraft(content: content, type: contentType ?? .text, clientMessageID: clientMessageID)
                let result = try await messaging.send(SendMessage(conversationID: conversationID, draft: draft), by: principal)
                send(.ack(id: id, message: result.message))
            case .typing(_, let conversationID, let typingState):
                // Checked before anything is remembered: an id the caller may not see
                // (or that no conversation could have) leaves no state behind.
                try Validation.externalID(conversationID, field: "conversationId")
                let key = OpaqueID(conversationID)
                let now = clock.now().millisecondsSince1970
                if typingState == .start, let last = lastTyping[key], now - last < Self.typingIntervalMilliseconds {
                    return
                }
                try await messaging.typing(conversationID, state: typingState, by: principal)
                rememberTyping(key, at: typingState == .start ? now : nil)
            case .read(_, let conversationID, let seq):
                _ = try await messaging.markRead(conversationID, seq: seq, by: principal)
            case .resume(let id, let cursor):
                // A replay reads the store at length: it counts against the user's limit.
                try messaging.admitWrite(by: principal)
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

    /// Remembers when `typing` `start` was last forwarded for a conversation (nil: a
    /// `stop`), within `maxTypingConversations`.
    private func rememberTyping(_ key: OpaqueID, at time: Int64?) {
        guard let time else {
            lastTyping[key] = nil
            return
        }
        if lastTyping[key] == nil, lastTyping.count >= Self.maxTypingConversations {
            lastTyping = lastTyping.filter { time - $0.value < Self.typingIntervalMilliseconds }
            // Still full (cannot happen within the frame rate): forget this one rather than grow.
            if lastTyping.count >= Self.maxTypingConversations { return }
        }
        lastTyping[key] = time
    }

    /// Every `message.new` after `cursor`, in commit order — those already delivered live
    /// on this connection included — then `resumed`. Live events that arrive meanwhile
    /// are held and go out after, without duplicates.
    ///
    /// Costs what it sends: the store reads by position from where the last page ended,
    /// each frame waits for room in the queue (a backlog of any length streams at the
    /// pace the client reads), and the replay stops when the connection ends.
    private func resume(after cursor: String, id: FrameID?) async throws {
        guard let start = ResumeCursor(token: cursor), try await messaging.resumeCursorIsCurrent(start.position) else {
            endResume(at: 0)
            send(.error(id: id, error: .init(code: "cursor_expired", message: "unknown or expired cursor; reload through REST")))
            return
        }
        state.withLock { state in
            state.resuming = true
            state.pending = []
            state.pendingBytes = 0
            state.droppedLiveMessage = false
        }
        var position = start.position
        do {
            replay: while true {
                if queue.isFinished { break }
                let page = try await messaging.messagesForResume(after: position, for: principal, limit: Self.resumePageSize)
                for item in page {
                    let frame = ServerFrame.event(.messageNew(message: item.message, cursor: ResumeCursor(position: item.position)))
                    guard let text = Self.text(of: frame), await queue.send(text) else { break replay }
                    position = item.position
                }
                // Caught up, unless a live message had to be let go meanwhile: checked and
                // ended under one lock, so none can be let go in between.
                if page.count < Self.resumePageSize, endResume(at: position, unlessLiveMessageWasDropped: true) {
                    guard !queue.isFinished else { return }
                    send(.resumed(id: id))
                    return
                }
            }
        } catch {
            endResume(at: position)
            throw error
        }
        endResume(at: position)
    }

    /// Ends a replay at `position`: what was held goes out after it. With
    /// `unlessLiveMessageWasDropped`, a replay during which a live message could not be
    /// held does not end (returns false): the caller reads on, and finds it in the store.
    @discardableResult
    private func endResume(at position: Int64, unlessLiveMessageWasDropped: Bool = false) -> Bool {
        let (ended, overflow) = state.withLock { state -> (Bool, Bool) in
            if unlessLiveMessageWasDropped, state.droppedLiveMessage {
                state.droppedLiveMessage = false
                return (false, false)
            }
            state.resuming = false
            state.lastPosition = max(state.lastPosition, position)
            let pending = state.pending
            state.pending = []
            state.pendingBytes = 0
            for frame in pending {
                if let framePosition = frame.position {
                    if framePosition <= state.lastPosition { continue }
                    state.lastPosition = framePosition
                }
                if !queue.offer(frame.text) { return (true, true) }
            }
            return (true, false)
        }
        if overflow { overflowed() }
        return ended
    }

    /// Queues an answer or event for this connection only.
    private func send(_ frame: ServerFrame) {
        guard let text = Self.text(of: frame) else { return }
        if !queue.offer(text) { overflowed() }
    }

    /// One encoder for every frame a connection writes itself (answers, presence,
    /// replays), instead of a new one per frame.
    private static let encoder = Mutex(JSONEncoder())

    /// `frame` as the JSON text of a WebSocket message.
    private static func text(of frame: ServerFrame) -> String? {
        guard let data = try? encoder.withLock({ try $0.encode(frame) }) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Reads only the `id` of a frame that could not be decoded, to echo it in the error.
private struct FrameIDOnly: Decodable {
    var id: FrameID?
}

/// Counts `message.send` frames read but not yet stored, so the reader waits when a
/// connection has `limit` of them. Concurrency: a `Mutex`; waiters resume outside it.
final class SendSlots: Sendable {
    private struct State {
        var taken = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// The reader, waiting for every send to be stored before a frame of another kind.
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        /// The sender has stopped: nothing waits any more.
        var stopped = false
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot, waiting for one if all are taken.
    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.stopped { return true }
                if state.taken < limit {
                    state.taken += 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Gives a slot back (to the first waiter, if any).
    func release() {
        let (waiter, idle) = state.withLock { state -> (CheckedContinuation<Void, Never>?, [CheckedContinuation<Void, Never>]) in
            if state.waiters.isEmpty {
                state.taken -= 1
                guard state.taken == 0 else { return (nil, []) }
                defer { state.idleWaiters = [] }
                return (nil, state.idleWaiters)
            }
            return (state.waiters.removeFirst(), [])
        }
        waiter?.resume()
        for continuation in idle { continuation.resume() }
    }

    /// Frees every slot and wakes every waiter: the sender has stopped.
    func releaseAll() {
        let (waiters, idle) = state.withLock { state in
            defer {
                state.taken = 0
                state.waiters = []
                state.idleWaiters = []
                state.stopped = true
            }
            return (state.waiters, state.idleWaiters)
        }
        for continuation in waiters + idle { continuation.resume() }
    }

    /// Returns once no slot is taken: every send read so far is stored.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.taken == 0 || state.stopped { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}
