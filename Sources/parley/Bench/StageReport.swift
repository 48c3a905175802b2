import Foundation
import ParleyClient
import ParleyRealtime

/// The node's stage timings (`serve --stage-timings`) over a bench run: its `/metrics`
/// read before and after, and per stage the frames timed, the mean, and p50 / p99 as
/// the upper bound of the histogram bucket they fall in. Silent when the node has them off.
struct StageReport {
    /// One stage's `parley_stage_duration_seconds` histogram: cumulative bucket counts
    /// by upper bound, the sum and the count.
    struct Histogram {
        var buckets: [Double: Int] = [:]
        var sum = 0.0
        var count = 0
    }

    let stages: [String: Histogram]

    /// `nil` when the node does not answer or has no stage timings.
    static func read(_ baseURL: String) async -> StageReport? {
        guard let response = try? await ParleyRESTClient(baseURL: baseURL, token: nil).raw(.GET, "/metrics"), response.status == 200
        else { return nil }
        var stages: [String: Histogram] = [:]
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("parley_stage_duration_seconds") {
            guard let stage = label("stage", in: line), let value = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            if line.hasPrefix("parley_stage_duration_seconds_bucket"), let bound = label("le", in: line) {
                stages[stage, default: Histogram()].buckets[bound == "+Inf" ? .infinity : Double(bound) ?? .infinity] = Int(value)
            } else if line.hasPrefix("parley_stage_duration_seconds_sum") {
                stages[stage, default: Histogram()].sum = value
            } else if line.hasPrefix("parley_stage_duration_seconds_count") {
                stages[stage, default: Histogram()].count = Int(value)
            }
        }
        return stages.isEmpty ? nil : StageReport(stages: stages)
    }

    private static func label(_ name: String, in line: Substring) -> String? {
        guard let start = line.range(of: "\(name)=\"") else { return nil }
        let rest = line[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// What was timed between `before` and `self`, one line per stage in path order.
    func lines(since before: StageReport?) -> [String] {
        let order = StageTimings.Stage.allCases.map(\.rawValue)
        return stages.keys.sorted { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }.compactMap { stage in
            let now = stages[stage]!
            let then = before?.stages[stage] ?? Histogram()
            let count = now.count - then.count
            guard count > 0 else { return nil }
            let bounds = now.buckets.keys.sorted()
            func quantile(_ fraction: Double) -> String {
                let rank = Int((Double(count) * fraction).rounded(.up))
                for bound in bounds where now.buckets[bound]! - (then.buckets[bound] ?? 0) >= rank {
                    return bound.isInfinite ? "> 1 s" : String(format: "≤ %g ms", bound * 1_000)
                }
                return "?"
            }
            return String(
                format: "  %@ %8d timed, mean %8.3f ms, p50 %@, p99 %@", stage.padding(toLength: 14, withPad: " ", startingAt: 0), count, (now.sum - then.sum) / Double(count) * 1_000,
                quantile(0.5), quantile(0.99))
        }
    }
}
