import ParleyCore
import Testing

@testable import ParleyServer

/// The reader's own state: the frame rate limit and the `typing` throttle.
@Suite struct FrameReaderTests {
    static let start = Timestamp(millisecondsSince1970: 1_000_000)

    @Test func framesPastTheBurstAreRefusedThenAFloodCloses() {
        var reader = FrameReader(now: Self.start)
        for _ in 0..<Int(FrameReader.frameBurst) { #expect(reader.admit(at: Self.start) == .admitted) }
        for _ in 0..<FrameReader.maxRefusedFrames { #expect(reader.admit(at: Self.start) == .refused(retryAfterSeconds: 1)) }
        #expect(reader.admit(at: Self.start) == .flooding)
    }

    @Test func admittedFramesForgiveRefusals() {
        var reader = FrameReader(now: Self.start)
        for _ in 0..<Int(FrameReader.frameBurst) { _ = reader.admit(at: Self.start) }
        for _ in 0..<FrameReader.maxRefusedFrames { _ = reader.admit(at: Self.start) }
        // A second later the bucket has refilled: every admitted frame forgives one refusal.
        let later = Timestamp(millisecondsSince1970: Self.start.millisecondsSince1970 + 1_000)
        for _ in 0..<10 { #expect(reader.admit(at: later) == .admitted) }
        for _ in 0..<Int(FrameReader.framesPerSecond) - 10 { _ = reader.admit(at: later) }
        for _ in 0..<10 { #expect(reader.admit(at: later) != .flooding) }
    }

    @Test func typingStartIsForwardedOncePerIntervalAndStopAlways() {
        var reader = FrameReader(now: Self.start)
        let key = OpaqueID("c1")
        let now = Self.start.millisecondsSince1970
        #expect(reader.forwardsTyping(.start, in: key, at: now))
        reader.typingForwarded(.start, in: key, at: now)
        #expect(!reader.forwardsTyping(.start, in: key, at: now + FrameReader.typingIntervalMilliseconds - 1))
        #expect(reader.forwardsTyping(.stop, in: key, at: now + 1))
        #expect(reader.forwardsTyping(.start, in: key, at: now + FrameReader.typingIntervalMilliseconds))
        reader.typingForwarded(.stop, in: key, at: now + 2)
        #expect(reader.forwardsTyping(.start, in: key, at: now + 3), "a stop forgets the conversation")
    }

    @Test func typingMemoryStaysWithinItsBound() {
        var reader = FrameReader(now: Self.start)
        let now = Self.start.millisecondsSince1970
        for index in 0..<FrameReader.maxTypingConversations + 100 {
            reader.typingForwarded(.start, in: OpaqueID("c\(index)"), at: now)
        }
        #expect(reader.rememberedTypingCount == FrameReader.maxTypingConversations)
        // Later, the old entries throttle nothing and make room.
        reader.typingForwarded(.start, in: OpaqueID("new"), at: now + FrameReader.typingIntervalMilliseconds)
        #expect(reader.rememberedTypingCount == 1)
    }
}
