import Logging
import ParleyCore
import Synchronization

/// Where a node fetches messages it did not hear of live: the store, which holds every
/// committed message at its position.
public struct MessageLog: Sendable {
    /// The newest committed position (where a node starts).
    public var latestPosition: @Sendable () async throws -> Int64
    /// The deliveries of the messages at positions in the range, in order (at most `limit`).
    public var deliveries: @Sendable (_ range: ClosedRange<Int64>, _ limit: Int) async throws -> [(position: Int64, delivery: Delivery)]

    public init(
        latestPosition: @escaping @Sendable () async throws -> Int64,
        deliveries: @escaping @Sendable (ClosedRange<Int64>, Int) async throws -> [(position: Int64, delivery: Delivery)]
    ) {
        self.latestPosition = latestPosition
        self.deliveries = deliveries
    }
}

/// Puts `message.new` deliveries back in commit order before the hub hands them out.
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
/// Concurrency: `state` (a `Mutex`) holds the next expected position and what waits;
/// `receive` is called from the hub's broker loop, `checkGaps` from a timer task. Both
/// hand out what is ready while holding `state`, so the two never interleave out of order.
final class MessageSequencer: Sendable {
    static let gapWait: Duration = .milliseconds(100)
    /// Read from the store per query when filling a gap.
    static let fillPage = 500
    /// A gap larger than this is not filled (clients catch up by resuming).
    static let maxFill: Int64 = 20_000

    private struct State {
        /// The next position to hand out; nil until the first message or the start position.
        var next: Int64?
        var waiting: [Int64: Delivery] = [:]
        var waitingSince: ContinuousClock.Instant?
        var filling = false
    }

    private let state = Mutex(State())
    private let log: MessageLog?
    private let logger: Logger

    init(log: MessageLog?, logger: Logger) {
        self.log = log
        self.logger = logger
    }

    /// Starts after the newest committed message (older ones are not live news).
    func start() async {
        guard let log, let latest = try? await log.latestPosition() else { return }
        state.withLock { state in
            if state.next == nil { state.next = latest + 1 }
        }
    }

    /// A delivery from the broker: handed out now, or held until what comes before it has.
    func receive(_ delivery: Delivery, handOut: (Delivery) -> Void) {
        guard case .messageNew(_, let cursor) = delivery.event, let position = ResumeCursor(token: cursor)?.position,
            log != nil
        else { return handOut(delivery) }
        state.withLock { state in
            let next = state.next ?? position
            if position < next { return }  // already handed out (or filled from the store)
            if position > next || state.filling {
                state.waiting[position] = delivery
                if state.waitingSince == nil { state.waitingSince = .now }
                return
            }
            state.next = position + 1
            handOut(delivery)
            Self.handOutConsecutive(&state, handOut)
        }
    }

    /// Fills a gap that has waited `gapWait` from the store. Called every few tens of ms.
    func checkGaps(handOut: (Delivery) -> Void) async {
        guard let log else { return }
        let gap = state.withLock { state -> ClosedRange<Int64>? in
            guard !state.filling, let since = state.waitingSince, ContinuousClock.now - since >= Self.gapWait,
                let next = state.next, let first = state.waiting.keys.min(), first > next
            else { return nil }
            state.filling = true
            return next...(first - 1)
        }
        guard let gap else { return }
        var filled: [(position: Int64, delivery: Delivery)] = []
        if Int64(gap.count) <= Self.maxFill {
            var from = gap.lowerBound
            while from <= gap.upperBound {
                guard let page = try? await log.deliveries(from...gap.upperBound, Self.fillPage), !page.isEmpty else { break }
                filled += page
                from = page.last!.position + 1
            }
            logger.notice(
                "filled a gap in live messages from the store",
                metadata: ["from": "\(gap.lowerBound)", "to": "\(gap.upperBound)", "found": "\(filled.count)"])
        } else {
            logger.warning(
                "skipped a gap in live messages too large to fill; clients catch up by resuming",
                metadata: ["from": "\(gap.lowerBound)", "to": "\(gap.upperBound)"])
        }
        state.withLock { state in
            for entry in filled { handOut(entry.delivery) }
            state.filling = false
            state.next = gap.upperBound + 1
            Self.handOutConsecutive(&state, handOut)
        }
    }

    /// Hands out the waiting deliveries that now follow on, advancing `next`.
    private static func handOutConsecutive(_ state: inout State, _ handOut: (Delivery) -> Void) {
        while let next = state.next, let delivery = state.waiting.removeValue(forKey: next) {
            handOut(delivery)
            state.next = next + 1
        }
        // Anything already passed (a duplicate) is dropped.
        if let next = state.next { state.waiting = state.waiting.filter { $0.key >= next } }
        state.waitingSince = state.waiting.isEmpty ? nil : (state.waitingSince ?? .now)
    }
}
