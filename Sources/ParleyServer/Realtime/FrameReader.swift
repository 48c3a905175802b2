import ParleyCore

/// What one connection keeps from frame to frame: the rate limit on the client's
/// frames and when `typing` was last forwarded per conversation.
///
/// Concurrency: a value in the connection's `frameReader` (a `Mutex`, a leaf lock): the
/// reader admits frames, the worker that handles them (one at a time) throttles
/// `typing`.
struct FrameReader {
    /// Frames a client may send per second, and the burst above it.
    static let framesPerSecond = 100.0
    static let frameBurst = 200.0
    /// Refused frames tolerated before a flooding client is closed.
    static let maxRefusedFrames = 50
    /// A `typing` frame per conversation is forwarded at most this often.
    static let typingIntervalMilliseconds: Int64 = 1_000
    /// Conversations whose last `typing` a connection remembers. Entries older than the
    /// interval throttle nothing and are dropped first; at 100 frames/s with bursts of
    /// 200, no more than about 300 can be younger.
    static let maxTypingConversations = 512

    /// What to do with a frame that just arrived.
    enum Admission: Equatable {
        case admitted
        /// Over the rate: answer `rate_limited` (retry after this many seconds).
        case refused(retryAfterSeconds: Int)
        /// Refused too often: close the connection.
        case flooding
    }

    private var frameBucket: TokenBucket
    private var refusedFrames = 0
    private var lastTyping: [OpaqueID: Int64] = [:]

    init(now: Timestamp) {
        frameBucket = TokenBucket(rate: Self.framesPerSecond, burst: Self.frameBurst, now: now)
    }

    /// Conversations whose last `typing` is remembered now.
    var rememberedTypingCount: Int { lastTyping.count }

    /// Rate-limits frames: every admitted frame forgives one refusal, every refused one
    /// counts, and past `maxRefusedFrames` the client is taken for a flood.
    mutating func admit(at now: Timestamp) -> Admission {
        guard let wait = frameBucket.take(at: now) else {
            refusedFrames = max(0, refusedFrames - 1)
            return .admitted
        }
        refusedFrames += 1
        if refusedFrames > Self.maxRefusedFrames { return .flooding }
        return .refused(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
    }

    /// Whether a `typing` frame in the conversation `key` is forwarded at `now`
    /// (milliseconds): a `start` at most once per interval, a `stop` always.
    func forwardsTyping(_ state: TypingState, in key: OpaqueID, at now: Int64) -> Bool {
        guard state == .start, let last = lastTyping[key] else { return true }
        return now - last >= Self.typingIntervalMilliseconds
    }

    /// Remembers that `typing` was forwarded in `key` at `now` (a `start`), or forgets the
    /// conversation (a `stop`), within `maxTypingConversations`.
    mutating func typingForwarded(_ state: TypingState, in key: OpaqueID, at now: Int64) {
        guard state == .start else {
            lastTyping[key] = nil
            return
        }
        if lastTyping[key] == nil, lastTyping.count >= Self.maxTypingConversations {
            lastTyping = lastTyping.filter { now - $0.value < Self.typingIntervalMilliseconds }
            // Still full (cannot happen within the frame rate): forget this one rather than grow.
            if lastTyping.count >= Self.maxTypingConversations { return }
        }
        lastTyping[key] = now
    }
}
