import ParleyCore
import Prometheus

/// `parley_search_index_lag_messages`: messages committed but not yet indexed for search,
/// as this node's store last saw it (stores that index in the sending transaction report
/// nothing).
extension ServerMetrics {
    func recordSearchIndexLag(messages: Int64) {
        registry.makeGauge(
            descriptor: .init(
                namespace: "parley", metricName: "search_index_lag", unitName: "messages",
                helpText: "Messages committed but not yet indexed for search")
        ).set(messages)
    }
}
