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
/// order (`RealtimeConnection+Frames`); `message.send` frames go, in order, to a
/// sender task that stores them one after the other (so they commit in the order they
/// were sent) while the reader goes on, and that exists only while sends wait
/// (`SendQueue`). The outbound queue is written to the channel on its event loop, with
/// no task (`RealtimeConnection+Writing`): an idle connection is one suspended reader,
/// its queue and this object. What the reader alone keeps (the frame rate, the `typing` throttle) is a `FrameReader`
/// value owned by the read loop; what the hub's thread and the connection's tasks share
/// is a `ConnectionDeliveryState` in `state` (a `Mutex`). Nothing else is mutable, so
/// the compiler checks `Sendable`. Locks and their order: docs/realtime.md, "Locks".
final class RealtimeConnection: EventSink, Sendable {
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
    /// Frames read but not yet handled, per connection: enough to pipeline sends,
    /// bounded (past it the reader waits).
    static let maxFramesInFlight = 64
    /// Messages read from the store per resume page.
    static let resumePageSize = 500
    /// Time a closing client has to read what is queued and answer the close.
    static let closeGrace: Duration = .seconds(2)
    /// Live frames held while a resume replays, at most: half the queue's bounds (the
    /// replay uses at most a quarter; the flush after it must fit in what is left).
    static let holdLimits = OutboundQueue.Limits(maxFrames: maxOutboundFrames / 2, maxBytes: maxOutboundBytes / 2)

    /// Close codes and reasons a client may act on.
    enum CloseReason {
        static let slowConsumer = (WebSocketErrorCode.unknown(1013), "slow consumer: outbound queue full; reconnect and resume")
        static let missedLiveMessages = (WebSocketErrorCode.unknown(1013), "missed live messages; reconnect and resume")
        static let tokenExpired = (WebSocketErrorCode.policyViolation, "token expired; reconnect with a new token and resume")
        static let flooding = (WebSocketErrorCode.policyViolation, "flooding: too many frames")
        static let resumeFailed = (WebSocketErrorCode.unexpectedServerError, "resume failed; reconnect and resume")
    }

    let principal: Principal
    let messaging: MessagingService
    private let presence: PresenceService
    let metrics: ServerMetrics
    let clock: any WallClock
    let logger: Logger
    let channel: any Channel
    let state = Mutex(ConnectionDeliveryState())
    /// The frame rate (the reader) and the `typing` throttle (the worker).
    let frameReader: Mutex<FrameReader>
    /// The writer's batch in flight (`RealtimeConnection+Writing`).
    let drainInline = Atomic<UInt8>(0)
    let queue: OutboundQueue

    init(
        principal: Principal, messaging: MessagingService, presence: PresenceService, metrics: ServerMetrics,
        clock: any WallClock, logger: Logger, channel: any Channel
    ) {
        self.principal = principal
        self.messaging = messaging
        self.presence = presence
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.channel = channel
        frameReader = Mutex(FrameReader(now: clock.now()))
        queue = OutboundQueue(
            limits: .init(maxFrames: Self.maxOutboundFrames, maxBytes: Self.maxOutboundBytes), stageTimings: metrics.stageTimings)
    }

    // MARK: EventSink (called by the hub)

    func enqueue(_ frame: OutboundFrame) -> Bool {
        // Under the hub's locks; takes the queue's inside `state` (docs/realtime.md, "Locks").
        state.withLock { $0.enqueue(frame, into: queue, holdLimits: Self.holdLimits) }
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
    ///
    /// This task only reads (`readFrames`); whatever else it awaited would stay in its
    /// stack for the connection's life (a task keeps the slabs of its deepest stack), so
    /// the work is done by short-lived children.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, hub: Hub, resumeCursor: String?) async throws {
        if resumeCursor != nil { state.withLock { $0.resuming = true } }
        guard let connectionID = await register(with: hub, refusingThrough: outbound) else { return }
        defer { unregister(from: hub, id: connectionID) }
        let jobs = FrameQueue(limit: Self.maxFramesInFlight)
        let replayFirst = resumeCursor.map { jobs.offer(.resumeOnConnect($0)) == true } ?? false
        // Children live only while they have work: the presence snapshot at the start,
        // and a worker while jobs wait. An idle connection is this task (the reader)
        // alone; the writer is no task (`RealtimeConnection+Writing`).
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await self.writePresenceThenStartWriting() }
            if replayFirst { group.addTask { await self.runWorker(jobs) } }
            defer { group.cancelAll() }
            // The socket stays open until the reader ends; the queue ends with it, and
            // the writer sends what is left.
            defer { queue.finish() }
            defer { jobs.stop() }
            try await readFrames(from: inbound, jobs: jobs, group: &group)
            if state.withLock({ $0.closeReason != nil }) {
                // Closing on our side: let the writer send what is queued and the close
                // frame (the grace timer bounds the wait).
                await waitForWriter()
            }
        }
    }

    /// Registers with the hub; refused (the user or the node at its limit), closes and
    /// answers `nil`.
    @inline(never)
    private func register(with hub: Hub, refusingThrough outbound: WebSocketOutboundWriter) async -> Hub.ConnectionID? {
        let connectionID: Hub.ConnectionID
        do {
            connectionID = try hub.register(userID: principal.userID, role: principal.role, sink: self)
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
            return nil
        }
        // The socket going away ends the queue: a replay or a snapshot in progress stops.
        let queue = self.queue
        channel.closeFuture.whenComplete { _ in queue.finish() }
        metrics.webSocketConnections.increment()
        logger.debug("realtime connection opened", metadata: ["user": "\(principal.userID)"])
        return connectionID
    }

    private func unregister(from hub: Hub, id: Hub.ConnectionID) {
        let remaining = hub.unregister(userID: principal.userID, id: id)
        if remaining == 0 { presence.disconnected(principal.userID) }
        metrics.webSocketConnections.decrement()
        logger.debug("realtime connection closed", metadata: ["user": "\(principal.userID)"])
    }

    /// Does the jobs of `jobs` in order until none is left. Runs in a child task that
    /// the reader starts when a job finds no worker running.
    func runWorker(_ jobs: FrameQueue) async {
        while let job = jobs.take() {
            // Stopped (the connection ends): what was not done is dropped; sends were
            // never acknowledged, and the client sends them again on resume.
            if Task.isCancelled {
                jobs.stop()
                return
            }
            switch job {
            case .frame(let frame, let readAt):
                if case .messageSend = frame {
                    if let readAt, let stageTimings = metrics.stageTimings {
                        stageTimings.record(.frameWait, since: readAt)
                        let started = ContinuousClock.now
                        await storeSend(frame)
                        stageTimings.record(.send, since: started)
                    } else {
                        await storeSend(frame)
                    }
                } else {
                    await handle(frame)
                }
            case .resumeOnConnect(let cursor):
                await resumeOnConnect(after: cursor)
            }
            jobs.done()
        }
    }

    /// Presence first, at the pace the client reads; then the queue.
    private func writePresenceThenStartWriting() async {
        // Written ahead of the queue: a user with 50,000 related users online must not
        // overflow (or fill) the live queue. Looked up here, not before the reader
        // starts: with Redis slow or away the lookup can take seconds, and frames are
        // handled meanwhile.
        let snapshot = await presence.connected(principal.userID)
        await writePresence(snapshot)
        startWriting()
    }

    private func writePresence(_ userIDs: [String]) async {
        var batch: [String] = []
        for (index, userID) in userIDs.enumerated() {
            if queue.isFinished { return }
            if let text = Self.text(of: .event(.presence(userID: userID, state: .online, lastSeen: nil))) { batch.append(text) }
            guard batch.count == Self.writeBatchFrames || index == userIDs.count - 1 else { continue }
            guard await writeAhead(batch) else {
                queue.finish()
                return
            }
            batch = []
        }
    }

    /// Stops writing events and closes with `code` once what is queued is out.
    func close(_ reason: (WebSocketErrorCode, String)) {
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

    /// Queues an answer or event for this connection only.
    func send(_ frame: ServerFrame) {
        guard let text = Self.text(of: frame) else { return }
        if !queue.offer(text) { overflowed() }
    }

    /// One encoder for every frame a connection writes itself (answers, presence,
    /// replays), instead of a new one per frame.
    private static let encoder = Mutex(JSONEncoder())

    /// `frame` as the JSON text of a WebSocket message.
    static func text(of frame: ServerFrame) -> String? {
        // `ack` and `pong` are written by hand (`FrameJSON`): one `ack` per message sent.
        if let text = FrameJSON.text(of: frame) { return text }
        guard let data = try? encoder.withLock({ try $0.encode(frame) }) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
