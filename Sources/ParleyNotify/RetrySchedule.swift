/// When to try a failed delivery again.
///
/// Webhooks follow the Standard Webhooks schedule: about 5 s, 5 min, 30 min, 2 h, 5 h,
/// 10 h and 24 h after each failed attempt, then give up. Pushes back off from 10 s,
/// doubling up to 1 h, never sooner than the push service's `Retry-After`, and stop when
/// the next try would come after the push's TTL ran out. Every delay is jittered by ±10 %
/// so that receivers that failed together are not all retried in the same instant.
public enum RetrySchedule {
    /// The delays after the 1st, 2nd, … failed webhook attempt.
    public static let webhookDelays: [Duration] = [
        .seconds(5), .seconds(5 * 60), .seconds(30 * 60), .seconds(2 * 3600), .seconds(5 * 3600), .seconds(10 * 3600),
        .seconds(24 * 3600),
    ]
    /// The push backoff's first delay.
    public static let pushFirstDelay: Duration = .seconds(10)
    /// The push backoff's ceiling: push services that fail for longer are down, and the
    /// TTL (a day by default) still bounds the whole.
    public static let pushMaximumDelay: Duration = .seconds(3600)
    /// Attempts at a "read" push (which only removes a notification already shown): after
    /// a few, the user has most likely seen the conversation anyway.
    public static let maxReadPushAttempts = 5
    /// The jitter: each delay is multiplied by a factor in 1 ± this.
    public static let jitter = 0.1

    /// The delay before the next webhook attempt after attempt number `attempt` (1 for the
    /// first) failed; nil when the schedule is exhausted (give up).
    public static func webhookDelay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration? {
        guard attempt >= 1, attempt <= webhookDelays.count else { return nil }
        return jittered(webhookDelays[attempt - 1], using: &generator)
    }

    public static func webhookDelay(afterAttempt attempt: Int) -> Duration? {
        var generator = SystemRandomNumberGenerator()
        return webhookDelay(afterAttempt: attempt, using: &generator)
    }

    /// The push backoff after attempt number `attempt` (1 for the first) failed:
    /// 10 s · 2^(attempt-1), at most 1 h, jittered.
    public static func pushDelay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        // The shift is bounded so that it cannot overflow; 2^9 · 10 s is past the ceiling.
        let doublings = min(max(attempt - 1, 0), 20)
        let base = min(pushFirstDelay * (1 << doublings), pushMaximumDelay)
        return jittered(base, using: &generator)
    }

    public static func pushDelay(afterAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return pushDelay(afterAttempt: attempt, using: &generator)
    }

    /// The delay before the next push attempt after attempt number `attempt` failed with a
    /// retryable answer (429, 5xx, no answer): the backoff, but not less than the push
    /// service's `retryAfter`; nil when it would come at or after the end of the TTL
    /// (`timeToLiveLeft` from now), so the push is given up.
    public static func pushDelay(
        afterAttempt attempt: Int, retryAfter: Duration?, timeToLiveLeft: Duration,
        using generator: inout some RandomNumberGenerator
    ) -> Duration? {
        let delay = max(pushDelay(afterAttempt: attempt, using: &generator), retryAfter ?? .zero)
        return delay < timeToLiveLeft ? delay : nil
    }

    public static func pushDelay(afterAttempt attempt: Int, retryAfter: Duration?, timeToLiveLeft: Duration) -> Duration? {
        var generator = SystemRandomNumberGenerator()
        return pushDelay(afterAttempt: attempt, retryAfter: retryAfter, timeToLiveLeft: timeToLiveLeft, using: &generator)
    }

    /// `delay` times a random factor in [1 - jitter, 1 + jitter], to the millisecond.
    static func jittered(_ delay: Duration, using generator: inout some RandomNumberGenerator) -> Duration {
        let factor = Double.random(in: (1 - jitter)...(1 + jitter), using: &generator)
        let (seconds, attoseconds) = delay.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return .milliseconds(Int64((milliseconds * factor).rounded()))
    }
}
