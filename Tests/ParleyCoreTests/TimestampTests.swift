import ParleyCore
import Testing

@Suite struct TimestampTests {
    @Test func formatsUTCWithMilliseconds() {
        #expect(Timestamp(millisecondsSince1970: 0).rfc3339 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSince1970: 1_795_515_330_123).rfc3339 == "2026-11-24T10:15:30.123Z")
        #expect(Timestamp(millisecondsSince1970: 951_782_400_007).rfc3339 == "2000-02-29T00:00:00.007Z")
    }

    @Test func parsesWhatItFormatsAndOffsets() {
        for milliseconds: Int64 in [0, 1, 999, 1_795_515_330_123, 4_102_444_799_999, -1] {
            let timestamp = Timestamp(millisecondsSince1970: milliseconds)
            #expect(Timestamp(rfc3339: timestamp.rfc3339) == timestamp)
        }
        #expect(Timestamp(rfc3339: "2026-11-24T11:15:30.123+01:00")?.rfc3339 == "2026-11-24T10:15:30.123Z")
        #expect(Timestamp(rfc3339: "2026-11-24T10:15:30Z")?.rfc3339 == "2026-11-24T10:15:30.000Z")
    }

    @Test func refusesMalformedTimes() {
        for text in ["", "2026-11-24", "2026-13-01T00:00:00Z", "2026-11-24T10:15:30", "2026-11-24T10:15:30.Z", "x"] {
            #expect(Timestamp(rfc3339: text) == nil, "\(text)")
        }
    }
}
