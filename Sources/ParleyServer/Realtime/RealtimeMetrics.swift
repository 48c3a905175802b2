import Prometheus

/// Realtime counters with a reason label, made from the node's registry on first use
/// (the registry hands back the same counter for the same name and labels).
extension ServerMetrics {
    /// A connection refused at the upgrade: `reason` is `user` (too many connections of
    /// one user) or `node` (the node is full).
    func realtimeRefused(reason: String) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "parley", metricName: "websocket_connections_refused", unitName: "total",
                helpText: "WebSocket connections refused at a connection limit"),
            labels: [("reason", reason)]
        ).increment()
    }

    /// A connection closed by the server for `reason` (other than a slow consumer,
    /// counted by `slowConsumersClosed`).
    func realtimeClosed(reason: String) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "parley", metricName: "websocket_connections_closed_by_server", unitName: "total",
                helpText: "WebSocket connections the server closed, by reason"),
            labels: [("reason", reason)]
        ).increment()
    }
}
