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

/// Prints a progress line once a second while a run lasts.
struct ProgressReporter {
    let label: String
    let recorder: LatencyRecorder

    func run(until deadline: ContinuousClock.Instant) async {
        let start = ContinuousClock.now
        var last: UInt64 = 0
        while ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let count = recorder.count
            let elapsed = (ContinuousClock.now - start).seconds
            FileHandle.standardError.write(Data("  \(label): \(count) done, \(count - last)/s, \(String(format: "%.0f", elapsed)) s\n".utf8))
            last = count
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension ProgressReporter {
    /// Runs `work` while printing progress; the reports stop as soon as the work is done.
    static func reporting(
        _ label: String, recorder: LatencyRecorder, until deadline: ContinuousClock.Instant,
        _ work: @escaping @Sendable () async -> Void
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await ProgressReporter(label: label, recorder: recorder).run(until: deadline) }
            await work()
            group.cancelAll()
        }
    }
}
