import ParleyCore
import Synchronization

/// A token bucket per user for writes and searches, shared by all the user's REST calls
/// and WebSocket frames on this node. Refuses with the seconds until a token is back.
/// Users are told apart by the bytes of their ids (`OpaqueID`), as the stores do.
///
/// Concurrency: all state is behind one `Mutex`; nothing awaits while holding it.
public final class RateLimiter: Sendable {
    /// Users tracked at once before full buckets are forgotten: bounds memory under a
    /// flood of distinct user ids.
    static let maxTrackedUsers = 100_000

    private let ratePerSecond: Double
    private let burst: Double
    private let clock: any WallClock
    private let buckets = Mutex<[OpaqueID: TokenBucket]>([:])

    public init(
        ratePerSecond: Double = Limits.userWritesPerSecond, burst: Double = Limits.userWriteBurst,
        clock: any WallClock = SystemWallClock()
    ) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.clock = clock
    }

    /// Takes one token for `userID`, or throws `rateLimited`. A rate of 0 never limits.
    public func take(_ userID: String) throws(ParleyError) {
        guard ratePerSecond > 0 else { return }
        let now = clock.now()
        let wait: Double? = buckets.withLock { buckets in
            if buckets.count >= Self.maxTrackedUsers {
                buckets = buckets.filter { !$0.value.isFull(at: now) }
                // Still full: this many users are all busy at once. Forgetting them gives
                // each a fresh burst, but keeps every call O(1) instead of a sweep per call.
                if buckets.count >= Self.maxTrackedUsers / 2 { buckets.removeAll(keepingCapacity: true) }
            }
            let key = OpaqueID(userID)
            var bucket = buckets[key] ?? TokenBucket(rate: ratePerSecond, burst: burst, now: now)
            defer { buckets[key] = bucket }
            return bucket.take(at: now)
        }
        if let wait { throw .rateLimited(retryAfterSeconds: max(1, Int(wait.rounded(.up)))) }
    }
}
