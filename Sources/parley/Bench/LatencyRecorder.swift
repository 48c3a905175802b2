import Foundation
import Histogram
import Synchronization

/// Latencies in microseconds, shared by the tasks of one bench run, summarised with an
/// HdrHistogram (3 significant digits, up to 60 s).
final class LatencyRecorder: Sendable {
    private let histogram = Mutex(Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three))
    private let errorCount = Mutex(0)

    func record(_ duration: Duration) {
        let microseconds = UInt64(max(1, duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000))
        histogram.withLock { _ = $0.record(min(microseconds, 60_000_000)) }
    }

    func recordError() { errorCount.withLock { $0 += 1 } }

    var count: UInt64 { histogram.withLock { $0.totalCount } }
    var errors: Int { errorCount.withLock { $0 } }

    /// `p50 1.2 ms  p90 …  p99 …  max …`
    func summary() -> String {
        histogram.withLock { histogram in
            func ms(_ value: UInt64) -> String { String(format: "%.2f ms", Double(value) / 1000) }
            return "p50 \(ms(histogram.valueAtPercentile(50)))  p90 \(ms(histogram.valueAtPercentile(90)))  "
                + "p99 \(ms(histogram.valueAtPercentile(99)))  max \(ms(histogram.maxRecorded))"
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
