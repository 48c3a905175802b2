import Logging
import ParleyCore
import Synchronization

/// Puts `message.new` deliveries back in commit order before the hub hands them out,
/// and never lets a connection pass a message it did not get.
///
/// Each node publishes its messages in its own commit order, but deliveries of two nodes
/// can reach a third one interleaved out of order (node A's batch of 256 still going out
/// while node B's next message overtakes it); and a delivery is lost when Redis is away.
/// A connection skips a message older than one it already has (its resume cursor must
/// never pass a message it did not get), so out of order would mean lost. Positions of
/// committed messages have no gaps, so a missing position is a message still on its way
/// or lost: deliveries after it wait `gapWait`, then the missing ones are read from the
/// store and everything goes out in order.
///
/// When a gap cannot be filled — larger than `maxFill`, the store failing or not
/// returning the positions for `maxGapAge`, or more than `maxWaiting` deliveries held
/// behind it — the sequencer does not skip silently: it calls `missed` first (the hub
/// closes every connection, whose clients resume from their cursors), and only then
/// hands out what follows.
///
/// Concurrency: `state` (a `Mutex`) holds the next expected position and what waits;
/// `receive` is called from the hub's broker loop, `checkGaps` from a timer task. Both
/// hand out what is ready while holding `state`, so the two never interleave out of order;
/// `state` is therefore the first lock in the delivery path's order (docs/realtime.md,
/// "Locks").
public final class MessageSequencer: Sendable {
    /// The sequencer's bounds.
    public struct Limits: Sendable {
        /// How long a delivery waits for the ones before it before the store is asked.
        public var gapWait: Duration = .milliseconds(100)
        /// Read from the store per query when filling a gap.
        public var fillPage = 500
        /// A gap larger than this is not read from the store: connections resume instead
        /// (their own resumes read only their users' messages).
        public var maxFill: Int64 = 20_000
        /// How long a gap may stay open (the store failing or not returning it) before
        /// connections are made to resume: well above a store hiccup, short enough that
        /// live delivery does not stall for long.
        public var maxGapAge: Duration = .seconds(5)
        /// Deliveries held behind a gap, at most: memory stays bounded while it is filled.
        public var maxWaiting = 50_000

        public init() {}
    }

    private struct State {
        /// The next position to hand out; nil until the first message or the start position.
        var next: Int64?
        var waiting: [Int64: Delivery] = [:]
        /// When the oldest waiting delivery arrived (the current gap opened).
        var waitingSince: ContinuousClock.Instant?
        var filling = false
    }

    private let state = Mutex(State())
    private let log: (any MessageLog)?
    private let logger: Logger
    let limits: Limits

    init(log: (any MessageLog)?, logger: Logger, limits: Limits = Limits()) {
        self.log = log
        self.logger = logger
        self.limits = limits
    }

    /// Starts after the newest committed message (older ones are not live news).
    func start() async {
        guard let log, let latest = try? await log.latestPosition() else { return }
        state.withLock { state in
            if state.next == nil { state.next = latest + 1 }
        }
    }

    /// A delivery from the broker: handed out now, or held until what comes before it has.
    func receive(_ delivery: Delivery, handOut: (Delivery) -> Void, missed: (ClosedRange<Int64>) -> Void) {
        guard case .messageNew(_, let cursor) = delivery.event, log != nil else { return handOut(delivery) }
        let position = cursor.position
        // Hands out under `state`: the first lock of the delivery path's order (docs/realtime.md, "Locks").
        state.withLock { state in
            let next = state.next ?? position
            if position < next { return }  // already handed out (or filled from the store)
            if position > next || state.filling {
                state.waiting[position] = delivery
                if state.waitingSince == nil { state.waitingSince = .now }
                if state.waiting.count > limits.maxWaiting, !state.filling {
                    // Too much held behind the gap: give it up (connections resume).
                    Self.skipToFirstWaiting(&state, handOut, missed)
                }
                return
            }
            state.next = position + 1
            handOut(delivery)
            Self.handOutConsecutive(&state, handOut)
        }
    }

    /// Fills a gap that has waited `gapWait` from the store. Called every few tens of ms.
    func checkGaps(handOut: (Delivery) -> Void, missed: (ClosedRange<Int64>) -> Void) async {
        guard let log else { return }
        // Hands out (a skip) under `state`: the first lock of the delivery path's order (docs/realtime.md, "Locks").
        let gap = state.withLock { state -> (range: ClosedRange<Int64>, age: Duration)? in
            guard !state.filling, let since = state.waitingSince, ContinuousClock.now - since >= limits.gapWait,
                let next = state.next, let first = state.waiting.keys.min(), first > next
            else { return nil }
            let age = ContinuousClock.now - since
            if Int64(first - next) > limits.maxFill || age >= limits.maxGapAge {
                logger.warning(
                    "a gap in live messages could not be filled from the store",
                    metadata: ["from": "\(next)", "to": "\(first - 1)", "age": "\(age)"])
                Self.skipToFirstWaiting(&state, handOut, missed)
                return nil
            }
            state.filling = true
            return (next...(first - 1), age)
        }
        guard let gap else { return }
        // Read what exists of the gap. A failed or short read is not a reason to skip:
        // what was found goes out in order up to the first position still missing, and
        // the rest is tried again on a later tick (until `maxGapAge`).
        var filled: [Int64: Delivery] = [:]
        var from = gap.range.lowerBound
        var failure: (any Error)?
        while from <= gap.range.upperBound {
            do {
                let page = try await Self.read(from...gap.range.upperBound, of: log, page: limits.fillPage, within: limits.maxGapAge)
                guard let last = page.last else { break }
                for entry in page { filled[entry.position] = entry.delivery }
                from = last.position + 1
            } catch {
                failure = error
                break
            }
        }
        if let failure {
            logger.warning("could not read a gap in live messages from the store", metadata: ["error": "\(failure)"])
        } else if filled.count < gap.range.count {
            logger.notice(
                "a gap in live messages is not all in the store yet",
                metadata: ["from": "\(gap.range.lowerBound)", "to": "\(gap.range.upperBound)", "found": "\(filled.count)"])
        }
        // Hands out under `state`: the first lock of the delivery path's order (docs/realtime.md, "Locks").
        state.withLock { state in
            state.filling = false
            while let next = state.next, let delivery = filled[next] ?? state.waiting.removeValue(forKey: next) {
                handOut(delivery)
                state.next = next + 1
            }
            Self.handOutConsecutive(&state, handOut)
        }
    }

    struct FillTimedOut: Error {}

    /// One page of a gap, or `FillTimedOut` after `limit`. A store that never answers (a
    /// half-open database connection) must not hold live delivery, nor let what waits
    /// behind the gap grow, for ever: the read runs in a task of its own that is left
    /// behind if it hangs (structured concurrency would wait for it), and the gap is
    /// then treated as unreadable.
    private static func read(
        _ range: ClosedRange<Int64>, of log: any MessageLog, page: Int, within limit: Duration
    ) async throws -> [(position: Int64, delivery: Delivery)] {
        let result = Promise<[(position: Int64, delivery: Delivery)]>()
        Task {
            do { result.succeed(try await log.deliveries(in: range, limit: page)) } catch { result.fail(error) }
        }
        let timer = Task {
            try await Task.sleep(for: limit)
            result.fail(FillTimedOut())
        }
        defer { timer.cancel() }
        return try await result.value
    }

    /// Gives up the positions before the first waiting delivery: `missed` first (every
    /// connection is told), then what waits goes out in order.
    private static func skipToFirstWaiting(
        _ state: inout State, _ handOut: (Delivery) -> Void, _ missed: (ClosedRange<Int64>) -> Void
    ) {
        guard let first = state.waiting.keys.min() else { return }
        if let next = state.next, first > next { missed(next...(first - 1)) }
        state.next = first
        state.waitingSince = nil
        handOutConsecutive(&state, handOut)
    }

    /// Hands out the waiting deliveries that now follow on, advancing `next`.
    private static func handOutConsecutive(_ state: inout State, _ handOut: (Delivery) -> Void) {
        while let next = state.next, let delivery = state.waiting.removeValue(forKey: next) {
            handOut(delivery)
            state.next = next + 1
            // The gap (if any) is now behind: a later one starts its own wait.
            state.waitingSince = nil
        }
        // Anything already passed (a duplicate) is dropped.
        if let next = state.next, state.waiting.keys.contains(where: { $0 < next }) {
            state.waiting = state.waiting.filter { $0.key >= next }
        }
        if state.waiting.isEmpty {
            state.waitingSince = nil
        } else if state.waitingSince == nil {
            state.waitingSince = .now
        }
    }
}
