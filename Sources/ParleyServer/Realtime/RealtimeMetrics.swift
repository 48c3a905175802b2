import Prometheus

/// Realtime counters with a reason label, made from the node's registry on first use
/// (the registry hands back the same counter for the same name and labels).
extension ServerMetrics {
    /// A connection refused at the upgrade: `reason` is `user` (too many connections of
    /// one user) or `node` (the node is full).
    func realtimeRefused(reason: String) {
        countByReason(
            "websocket_connections_refused", help: "WebSocket connections refused at a connection limit", reason: reason)
    }

    /// A connection closed by the server for `reason` (other than a slow consumer,
    /// counted by `slowConsumersClosed`).
    func realtimeClosed(reason: String) {
        countByReason(
            "websocket_connections_closed_by_server", help: "WebSocket connections the server closed, by reason",
            reason: reason)
    }

    private func countByReason(_ name: String, help: String, reason: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "parley", metricName: name, unitName: "total", helpText: help),
            labels: [("reason", reason)]
        ).increment()
    }
}
