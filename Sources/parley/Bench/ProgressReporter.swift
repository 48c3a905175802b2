import Foundation
import Histogram
import Synchronization

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
