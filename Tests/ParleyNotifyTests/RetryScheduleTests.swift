import ParleyCore
import Testing

@testable import ParleyNotify

@Suite struct RetryScheduleTests {
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    @Test func webhookScheduleIsTheStandardOneWithinTenPercent() throws {
        let nominal: [Double] = [5, 300, 1800, 7200, 18_000, 36_000, 86_400]
        for seed in UInt64(1)...50 {
            var generator = SeededGenerator(seed: seed)
            for (index, expected) in nominal.enumerated() {
                let delay = RetrySchedule.webhookDelay(afterAttempt: index + 1, using: &generator)
                let got = Self.seconds(try #require(delay))
                #expect(got >= expected * 0.9 - 0.001 && got <= expected * 1.1 + 0.001, "attempt \(index + 1): \(got)")
            }
            #expect(RetrySchedule.webhookDelay(afterAttempt: 8, using: &generator) == nil)
        }
        #expect(RetrySchedule.webhookDelay(afterAttempt: 0) == nil)
    }

    @Test func jitterSpreadsRetries() {
        var generator = SeededGenerator(seed: 7)
        let delays = Set((0..<20).map { _ in RetrySchedule.webhookDelay(afterAttempt: 2, using: &generator)! })
        #expect(delays.count > 10)
    }

    @Test func pushBackoffDoublesFromTenSecondsUpToAnHour() {
        var generator = SeededGenerator(seed: 3)
        let nominal: [Double] = [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600]
        for (index, expected) in nominal.enumerated() {
            let got = Self.seconds(RetrySchedule.pushDelay(afterAttempt: index + 1, using: &generator))
            #expect(got >= expected * 0.9 - 0.001 && got <= expected * 1.1 + 0.001, "attempt \(index + 1): \(got)")
        }
        #expect(Self.seconds(RetrySchedule.pushDelay(afterAttempt: 10_000, using: &generator)) <= 3960)
    }

    @Test func pushHonoursRetryAfterAndStopsAtTheTTL() {
        var generator = SeededGenerator(seed: 4)
        let honoured = RetrySchedule.pushDelay(afterAttempt: 1, retryAfter: .seconds(120), timeToLiveLeft: .seconds(86_400), using: &generator)
        #expect(honoured == .seconds(120))
        let backoff = RetrySchedule.pushDelay(afterAttempt: 1, retryAfter: .seconds(1), timeToLiveLeft: .seconds(86_400), using: &generator)
        #expect(Self.seconds(backoff!) >= 9)
        #expect(RetrySchedule.pushDelay(afterAttempt: 1, retryAfter: .seconds(600), timeToLiveLeft: .seconds(300), using: &generator) == nil)
        #expect(RetrySchedule.pushDelay(afterAttempt: 12, retryAfter: nil, timeToLiveLeft: .seconds(1800), using: &generator) == nil)
    }
}
