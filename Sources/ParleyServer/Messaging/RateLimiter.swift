import ParleyCore
import Synchronization

/// A token bucket per user for writes. Refuses with the seconds until a token is back.
///
/// Concurrency: all state is behind one `Mutex`; nothing awaits while holding it.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updatedAt: Int64
    }

    /// Users tracked at once before idle, refilled buckets are forgotten: bounds memory
    /// under a flood of distinct user ids.
    static let maxTrackedUsers = 100_000

    private let ratePerSecond: Double
    private let burst: Double
    private let clock: any WallClock
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(ratePerSecond: Double = Limits.userWritesPerSecond, burst: Double = Limits.userWriteBurst,
                clock: any WallClock = SystemWallClock()) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.clock = clock
    }

    /// Takes one token for `userID`, or throws `rateLimited`.
    public func take(_ userID: String) throws(ParleyError) {
        let now = clock.now().millisecondsSince1970
        let retryAfter: Int? = buckets.withLock { buckets in
            if buckets.count >= Self.maxTrackedUsers { forgetRefilled(&buckets, now: now) }
            var bucket = buckets[userID] ?? Bucket(tokens: burst, updatedAt: now)
            let elapsed = Double(max(0, now - bucket.updatedAt)) / 1000
            bucket.tokens = min(burst, bucket.tokens + elapsed * ratePerSecond)
            bucket.updatedAt = now
            defer { buckets[userID] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / ratePerSecond).rounded(.up)))
        }
        if let retryAfter { throw .rateLimited(retryAfterSeconds: retryAfter) }
    }

    private func forgetRefilled(_ buckets: inout [String: Bucket], now: Int64) {
        let fullAfterMilliseconds = Int64(burst / ratePerSecond * 1000)
        buckets = buckets.filter { now - $0.value.updatedAt < fullAfterMilliseconds }
    }
}
