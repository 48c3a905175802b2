import Foundation

/// Durations an evaluation command measured, sorted, and what its tables print of them:
/// the mean, a percentile, the slowest.
struct Timings {
    let sorted: [Duration]

    init(_ durations: [Duration]) {
        sorted = durations.sorted()
    }

    var isEmpty: Bool { sorted.isEmpty }
    var mean: Duration { sorted.isEmpty ? .zero : sorted.reduce(.zero, +) / sorted.count }
    var slowest: Duration { sorted.last ?? .zero }

    /// The duration `percent` % of the way up (99: p99); zero when nothing was measured.
    func percentile(_ percent: Int) -> Duration {
        sorted.isEmpty ? .zero : sorted[min(sorted.count - 1, sorted.count * percent / 100)]
    }

    static func milliseconds(_ duration: Duration, digits: Int) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.\(digits)f ms", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }

    static func microseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f µs", Double(seconds) * 1e6 + Double(attoseconds) / 1e12)
    }
}
