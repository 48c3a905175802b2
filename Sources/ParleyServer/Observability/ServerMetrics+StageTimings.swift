import ParleyRealtime
import Prometheus

extension ServerMetrics {
    /// Buckets of `parley_stage_duration_seconds`: from a tenth of a millisecond (a stage
    /// with nothing queued) to a second (a stage where load queues).
    static let stageBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
    ]

    /// These metrics with stage timings on: `parley_stage_duration_seconds{stage}`, a
    /// histogram per `StageTimings.Stage`, in the same registry.
    public func withStageTimings() -> ServerMetrics {
        let histograms = Dictionary(
            uniqueKeysWithValues: StageTimings.Stage.allCases.map { stage in
                (
                    stage,
                    registry.makeDurationHistogram(
                        descriptor: .init(
                            namespace: "parley", metricName: "stage_duration", unitName: "seconds",
                            helpText: "Time spent in each stage of the real-time path (serve --stage-timings)"),
                        labels: [("stage", stage.rawValue)], buckets: Self.stageBuckets)
                )
            })
        var metrics = self
        metrics.stageTimings = StageTimings { stage, duration in histograms[stage]?.recordNanoseconds(duration.nanoseconds) }
        return metrics
    }
}
