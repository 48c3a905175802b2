import Hummingbird
import ParleyRealtime
import Prometheus

/// The node's metrics, in its own Prometheus registry (no global metrics system, so
/// several servers can live in one test process). Served at `/metrics`.
public struct ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let messagesStored: Counter
    let webSocketConnections: Gauge
    let webSocketFramesReceived: Counter
    let slowConsumersClosed: Counter
    /// Per-stage timings of the real-time path; nil (the default) unless
    /// `withStageTimings()` turned them on.
    public internal(set) var stageTimings: StageTimings?

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        messagesStored = registry.makeCounter(
            descriptor: .init(namespace: "parley", metricName: "messages_stored", unitName: "total", helpText: "Messages committed by this node"))
        webSocketConnections = registry.makeGauge(
            descriptor: .init(
                namespace: "parley", metricName: "websocket_connections", unitName: "", helpText: "Open WebSocket connections on this node"))
        webSocketFramesReceived = registry.makeCounter(
            descriptor: .init(
                namespace: "parley", metricName: "websocket_frames_received", unitName: "total", helpText: "Frames received from WebSocket clients"))
        slowConsumersClosed = registry.makeCounter(
            descriptor: .init(
                namespace: "parley", metricName: "websocket_slow_consumers_closed", unitName: "total",
                helpText: "Connections closed because their outbound queue was full"))
    }

    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(namespace: "parley", metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered"),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "parley", metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer HTTP requests"),
            labels: [("method", method), ("route", route)],
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2)]
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// A change in one of the Redis broker's connections (`publisher`, `subscriber`):
    /// `parley_redis_publisher_up` and `parley_redis_subscriber_up` (1 or 0; while the
    /// subscriber is down this node hears no other node's events), and
    /// `parley_redis_reconnects_total{role}` when a lost connection came back.
    public func recordRedisConnection(role: String, up: Bool, reconnected: Bool) {
        registry.makeGauge(
            descriptor: .init(
                namespace: "parley", metricName: "redis_\(role)_up", unitName: "", helpText: "1 while the Redis \(role) connection is up")
        )
        .set(Int64(up ? 1 : 0))
        guard reconnected else { return }
        registry.makeCounter(
            descriptor: .init(
                namespace: "parley", metricName: "redis_reconnects", unitName: "total",
                helpText: "Redis broker connections established again after one was lost"),
            labels: [("role", role)]
        ).increment()
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
