import ParleyCore
import Synchronization

/// A token bucket per user for writes. Refuses with the seconds until a token is back.
///
/// Concurrency: all state is behind one `Mutex`; nothing awaits while holding it.
public final class RateLimiter: Sendable {
    /// Users tracked at once before full buckets are forgotten: bounds memory under a
    /// flood of distinct user ids.
    static let maxTrackedUsers = 100_000

    private let ratePerSecond: Double
    private let burst: Double
    private let clock: any WallClock
    private let buckets = Mutex<[String: TokenBucket]>([:])

    public init(ratePerSecond: Double = Limits.userWritesPerSecond, burst: Double = Limits.userWriteBurst,
                clock: any WallClock = SystemWallClock()) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.clock = clock
    }

    /// Takes one token for `userID`, or throws `rateLimited`. A rate of 0 never limits.
    public func take(_ userID: String) throws(ParleyError) {
        guard ratePerSecond > 0 else { return }
        let now = clock.now()
        let wait: Double? = buckets.withLock { buckets in
            if buckets.count >= Self.maxTrackedUsers { buckets = buckets.filter { !$0.value.isFull(at: now) } }
            var bucket = buckets[userID] ?? TokenBucket(rate: ratePerSecond, burst: burst, now: now)
            defer { buckets[userID] = bucket }
            return bucket.take(at: now)
        }
        if let wait { throw .rateLimited(retryAfterSeconds: max(1, Int(wait.rounded(.up)))) }
    }
}
