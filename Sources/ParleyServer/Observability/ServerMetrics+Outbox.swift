import ParleyCore
import ParleyNotify
import Prometheus

/// The outbox's metrics: `parley_outbox_attempts_total{kind, answer}` (an HTTP status,
/// `error` when none came, `blocked` for a forbidden address), and the gauges
/// `parley_outbox_pending` and `parley_outbox_oldest_age_seconds`.
extension ServerMetrics: OutboxMetrics {
    public func recordAttempt(kind: OutboxKind, answer: String) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "parley", metricName: "outbox_attempts", unitName: "total",
                helpText: "Webhook and push delivery attempts, by kind and answer"),
            labels: [("kind", kind.rawValue), ("answer", answer)]
        ).increment()
    }

    public func recordDepth(pending: Int, oldestAgeSeconds: Double) {
        registry.makeGauge(
            descriptor: .init(namespace: "parley", metricName: "outbox_pending", unitName: "", helpText: "Outbox items not delivered yet")
        ).set(Int64(pending))
        registry.makeGauge(
            descriptor: .init(
                namespace: "parley", metricName: "outbox_oldest_age", unitName: "seconds",
                helpText: "How long the oldest undelivered outbox item has been due")
        ).set(oldestAgeSeconds)
    }
}
