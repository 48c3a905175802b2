/// A token bucket: `rate` tokens per second refill up to `burst`. A plain value; the
/// owner decides how it is shared.
public struct TokenBucket: Sendable {
    public let rate: Double
    public let burst: Double
    private(set) var tokens: Double
    private(set) var updatedAt: Int64

    public init(rate: Double, burst: Double, now: Timestamp) {
        self.rate = rate
        self.burst = burst
        tokens = burst
        updatedAt = now.millisecondsSince1970
    }

    /// Takes a token if there is one; otherwise returns the seconds until there will be.
    public mutating func take(at now: Timestamp) -> Double? {
        let elapsed = Double(max(0, now.millisecondsSince1970 - updatedAt)) / 1000
        tokens = min(burst, tokens + elapsed * rate)
        updatedAt = now.millisecondsSince1970
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return (1 - tokens) / rate
    }

    /// Whether the bucket would be full at `now` (so forgetting it changes nothing).
    public func isFull(at now: Timestamp) -> Bool {
        tokens + Double(max(0, now.millisecondsSince1970 - updatedAt)) / 1000 * rate >= burst
    }
}
