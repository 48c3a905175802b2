import Synchronization

/// The frames waiting to be written to one connection, bounded in frames and in bytes,
/// between many producers and one writer.
///
/// Two ways in:
/// - `offer(_:)` never waits: the hub's live events use it, and a `false` means the
///   client does not read fast enough (the connection is then closed; it resumes later).
/// - `send(_:)` waits until the queue is below a share of its bounds: replays (resume)
///   and other bulk output use it, so a backlog of any length streams at the pace the
///   client reads and always leaves room for live events.
///
/// Two ways out, for one writer:
/// - `next()` waits for a frame (a task that writes).
/// - Push: after `startPushing(wake:)`, a frame arriving while nobody drains calls
///   `wake` (once, outside the lock), and the writer then calls `take(maxFrames:maxBytes:)`
///   until it answers `.idle` — so an idle connection has no task waiting on its queue.
///
/// After `finish()` nothing more is queued, waiting producers are told to stop
/// (`send` returns `false`), and the writer still gets what was queued before.
///
/// Concurrency: all state is behind one `Mutex`; continuations are resumed outside it.
/// It is the last lock of the delivery path's order, taken under a connection's and the
/// hub's, never the other way (docs/realtime.md, "Locks").
public final class OutboundQueue: Sendable {
    /// The bounds of one queue.
    public struct Limits: Sendable {
        public var maxFrames: Int
        public var maxBytes: Int

        public init(maxFrames: Int, maxBytes: Int) {
            self.maxFrames = maxFrames
            self.maxBytes = maxBytes
        }
    }

    /// Bulk producers (`send`) wait while the queue holds more than this share of its
    /// bounds, so live events always find the rest free.
    public static let bulkShareDivisor = 4

    /// What `take(maxFrames:maxBytes:)` found.
    public enum Batch: Sendable {
        /// Frames to write, in order; take again once they are written.
        case frames([String])
        /// Nothing queued: `wake` is called when something is.
        case idle
        /// Finished and empty: nothing will come any more.
        case finished
    }

    private struct State {
        /// Frames from `head` on are queued; the consumed prefix is dropped in batches.
        var frames: [String] = []
        var head = 0
        var bytes = 0
        var finished = false
        var consumer: CheckedContinuation<String?, Never>?
        /// Push mode: called when a frame arrives and nobody drains (`draining` false).
        var wake: (@Sendable () -> Void)?
        var draining = false
        var producers: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var nextProducerID: UInt64 = 0
        /// With stage timings: when each of `frames` was queued (same indices).
        var queuedAt: [ContinuousClock.Instant]?

        var count: Int { frames.count - head }

        mutating func append(_ text: String) {
            frames.append(text)
            queuedAt?.append(.now)
            bytes += text.utf8.count
        }

        mutating func removeFirst() -> String {
            let text = frames[head]
            frames[head] = ""
            head += 1
            bytes -= text.utf8.count
            // Compact once the consumed prefix is half the storage: amortised O(1).
            if head > 64 && head * 2 >= frames.count {
                frames.removeFirst(head)
                queuedAt?.removeFirst(head)
                head = 0
            }
            return text
        }
    }

    public let limits: Limits
    /// Times `outbound_queue` (queued until taken by a pushing writer) when on; the
    /// writer times `socket_write` with it.
    public let stageTimings: StageTimings?
    private let state: Mutex<State>

    public init(limits: Limits, stageTimings: StageTimings? = nil) {
        self.limits = limits
        self.stageTimings = stageTimings
        var state = State()
        if stageTimings != nil { state.queuedAt = [] }
        self.state = Mutex(state)
    }

    /// Frames queued now.
    public var count: Int { state.withLock { $0.count } }
    /// Bytes of UTF-8 queued now.
    public var bytes: Int { state.withLock { $0.bytes } }
    /// Whether `finish()` was called.
    public var isFinished: Bool { state.withLock { $0.finished } }

    /// Queues `text` if it fits within both bounds; `false` if it does not. A finished
    /// queue drops the frame and answers `true` (the connection is already closing).
    public func offer(_ text: String) -> Bool {
        let (accepted, handoff) = state.withLock { state -> (Bool, Handoff) in
            if state.finished { return (true, .none) }
            guard state.count < limits.maxFrames, state.bytes + text.utf8.count <= limits.maxBytes else { return (false, .none) }
            return (true, Self.deliverOrAppend(text, &state))
        }
        handoff.run(with: text)
        return accepted
    }

    /// Queues `text` once the queue is below its bulk share, waiting for the writer as
    /// long as needed. Returns `false`, without queueing, once the queue is finished or
    /// the calling task is cancelled: the producer should stop.
    public func send(_ text: String) async -> Bool {
        let id = state.withLock { state -> UInt64 in
            state.nextProducerID += 1
            return state.nextProducerID
        }
        while true {
            enum Step {
                case done(Bool, Handoff)
                case wait
            }
            let step = state.withLock { state -> Step in
                if state.finished { return .done(false, .none) }
                if Self.hasBulkRoom(state, limits, for: text.utf8.count) {
                    return .done(true, Self.deliverOrAppend(text, &state))
                }
                return .wait
            }
            switch step {
            case .done(let accepted, let handoff):
                handoff.run(with: text)
                return accepted
            case .wait:
                if Task.isCancelled { return false }
                let proceed = await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                        let resumeNow = state.withLock { state -> Bool in
                            // Re-checked under the lock: the writer may have taken frames meanwhile.
                            if state.finished || Self.hasBulkRoom(state, limits, for: text.utf8.count) { return true }
                            state.producers[id] = continuation
                            return false
                        }
                        if resumeNow { continuation.resume(returning: true) }
                    }
                } onCancel: {
                    state.withLock { $0.producers.removeValue(forKey: id) }?.resume(returning: false)
                }
                if !proceed || Task.isCancelled { return false }
            }
        }
    }

    /// The next frame, waiting for one; `nil` once the queue is finished and empty.
    /// One consumer only.
    public func next() async -> String? {
        let (text, producers) = state.withLock { state -> (String?, [CheckedContinuation<Bool, Never>]) in
            guard state.count > 0 else { return (nil, []) }
            let text = state.removeFirst()
            return (text, Self.hasBulkRoom(state, limits, for: 0) ? Self.takeProducers(&state) : [])
        }
        for producer in producers { producer.resume(returning: true) }
        if let text { return text }
        return await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let immediate = state.withLock { state -> String?? in
                if state.count > 0 { return .some(state.removeFirst()) }
                if state.finished { return .some(nil) }
                state.consumer = continuation
                return .none
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    /// Push mode from now on: `wake` is called (outside the lock) whenever a frame arrives
    /// or the queue finishes while nobody drains. The caller drains first: it calls
    /// `take(maxFrames:maxBytes:)` now, until `.idle` or `.finished`.
    public func startPushing(wake: @escaping @Sendable () -> Void) {
        state.withLock { state in
            state.wake = wake
            state.draining = true
        }
    }

    /// Push mode: the frames at the head of the queue, up to `maxFrames` and (past the
    /// first) `maxBytes` of UTF-8. `.idle` ends this drain: `wake` starts the next.
    public func take(maxFrames: Int, maxBytes: Int) -> Batch {
        var queuedAt: [ContinuousClock.Instant] = []
        let (batch, producers) = state.withLock { state -> (Batch, [CheckedContinuation<Bool, Never>]) in
            guard state.count > 0 else {
                state.draining = false
                if state.finished {
                    // Nothing will wake the writer again: let go of it.
                    state.wake = nil
                    return (.finished, [])
                }
                return (.idle, [])
            }
            var texts: [String] = []
            var bytes = 0
            while state.count > 0, texts.count < maxFrames {
                let size = state.frames[state.head].utf8.count
                if !texts.isEmpty, bytes + size > maxBytes { break }
                if let times = state.queuedAt { queuedAt.append(times[state.head]) }
                texts.append(state.removeFirst())
                bytes += size
            }
            return (.frames(texts), Self.hasBulkRoom(state, limits, for: 0) ? Self.takeProducers(&state) : [])
        }
        for producer in producers { producer.resume(returning: true) }
        if let stageTimings, !queuedAt.isEmpty {
            let now = ContinuousClock.now
            for instant in queuedAt { stageTimings.record(.outboundQueue, now - instant) }
        }
        return batch
    }

    /// Ends the queue: nothing more is accepted, waiting producers stop, and the writer
    /// gets what is queued, then `nil` (`.finished` in push mode).
    public func finish() {
        let (handoff, producers) = state.withLock { state -> (Handoff, [CheckedContinuation<Bool, Never>]) in
            guard !state.finished else { return (.none, []) }
            state.finished = true
            var handoff = Handoff.none
            if state.count == 0, let consumer = state.consumer {
                state.consumer = nil
                handoff = .consumer(consumer)
            } else if let wake = state.wake, !state.draining {
                state.draining = true
                handoff = .wake(wake)
            }
            let producers = Array(state.producers.values)
            state.producers = [:]
            return (handoff, producers)
        }
        switch handoff {
        case .consumer(let consumer): consumer.resume(returning: nil)
        case .wake(let wake): wake()
        case .none: break
        }
        for producer in producers { producer.resume(returning: false) }
    }

    /// What a producer does after the lock, for the writer.
    private enum Handoff {
        case none
        /// A writer waiting in `next()` takes the frame directly.
        case consumer(CheckedContinuation<String?, Never>)
        /// A pushing writer is idle: wake it.
        case wake(@Sendable () -> Void)

        func run(with text: String) {
            switch self {
            case .none: break
            case .consumer(let consumer): consumer.resume(returning: text)
            case .wake(let wake): wake()
            }
        }
    }

    /// Hands `text` straight to a waiting writer, or queues it (waking a pushing writer
    /// that is idle); what to do is returned, to do outside the lock.
    private static func deliverOrAppend(_ text: String, _ state: inout State) -> Handoff {
        if state.count == 0, let consumer = state.consumer {
            state.consumer = nil
            return .consumer(consumer)
        }
        state.append(text)
        if let wake = state.wake, !state.draining {
            state.draining = true
            return .wake(wake)
        }
        return .none
    }

    /// Whether a bulk producer may queue `bytes` more: below the bulk share in frames and
    /// in bytes (a single frame larger than the share goes into an empty queue).
    private static func hasBulkRoom(_ state: State, _ limits: Limits, for bytes: Int) -> Bool {
        guard state.count < max(1, limits.maxFrames / bulkShareDivisor) else { return false }
        return state.count == 0 || state.bytes + bytes <= limits.maxBytes / bulkShareDivisor
    }

    /// Every waiting bulk producer, to be woken after the writer took a frame (each
    /// checks the bounds again).
    private static func takeProducers(_ state: inout State) -> [CheckedContinuation<Bool, Never>] {
        guard !state.producers.isEmpty else { return [] }
        let producers = Array(state.producers.values)
        state.producers = [:]
        return producers
    }
}
