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

    private struct State {
        /// Frames from `head` on are queued; the consumed prefix is dropped in batches.
        var frames: [String] = []
        var head = 0
        var bytes = 0
        var finished = false
        var consumer: CheckedContinuation<String?, Never>?
        var producers: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var nextProducerID: UInt64 = 0

        var count: Int { frames.count - head }

        mutating func append(_ text: String) {
            frames.append(text)
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
                head = 0
            }
            return text
        }
    }

    public let limits: Limits
    private let state = Mutex(State())

    public init(limits: Limits) {
        self.limits = limits
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
        let (accepted, consumer) = state.withLock { state -> (Bool, CheckedContinuation<String?, Never>?) in
            if state.finished { return (true, nil) }
            guard state.count < limits.maxFrames, state.bytes + text.utf8.count <= limits.maxBytes else { return (false, nil) }
            return (true, Self.deliverOrAppend(text, &state))
        }
        consumer?.resume(returning: text)
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
                case done(Bool, CheckedContinuation<String?, Never>?)
                case wait
            }
            let step = state.withLock { state -> Step in
                if state.finished { return .done(false, nil) }
                if Self.hasBulkRoom(state, limits, for: text.utf8.count) {
                    return .done(true, Self.deliverOrAppend(text, &state))
                }
                return .wait
            }
            switch step {
            case .done(let accepted, let consumer):
                consumer?.resume(returning: text)
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

    /// Ends the queue: nothing more is accepted, waiting producers stop, and the writer
    /// gets what is queued, then `nil`.
    public func finish() {
        let (consumer, producers) = state.withLock { state -> (CheckedContinuation<String?, Never>?, [CheckedContinuation<Bool, Never>]) in
            guard !state.finished else { return (nil, []) }
            state.finished = true
            let consumer = state.count == 0 ? state.consumer : nil
            if consumer != nil { state.consumer = nil }
            let producers = Array(state.producers.values)
            state.producers = [:]
            return (consumer, producers)
        }
        consumer?.resume(returning: nil)
        for producer in producers { producer.resume(returning: false) }
    }

    /// Hands `text` straight to a waiting writer (returned, to resume outside the lock),
    /// or queues it.
    private static func deliverOrAppend(_ text: String, _ state: inout State) -> CheckedContinuation<String?, Never>? {
        if state.count == 0, let consumer = state.consumer {
            state.consumer = nil
            return consumer
        }
        state.append(text)
        return nil
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
