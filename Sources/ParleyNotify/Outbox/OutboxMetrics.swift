import ParleyCore

/// Where the drain reports what it does (the server's Prometheus registry).
public protocol OutboxMetrics: Sendable {
    /// One delivery attempt of `kind` and how it was answered: an HTTP status, or
    /// `error` when none came (refused, timed out, blocked address).
    func recordAttempt(kind: OutboxKind, answer: String)
    /// What waits now: items, and the age of the oldest in seconds (0 when none).
    func recordDepth(pending: Int, oldestAgeSeconds: Double)
}
