import Foundation

/// What came back from one outgoing notification request (a push or a webhook delivery).
public struct DeliveryAnswer: Sendable, Equatable {
    /// The HTTP status, nil when none came (refused, timed out, TLS failure…). A redirect
    /// is not followed: its 3xx status is the answer.
    public var status: Int?
    /// The receiver's `Retry-After`, from when the answer came (an HTTP date is turned
    /// into the time until it; a date in the past gives zero). Nil when absent or unreadable.
    public var retryAfter: Duration?
    /// What went wrong when no status came: a short text, never the answer's body.
    public var error: String?
    /// From the start of the request until the answer's head (and the little of its body
    /// that is read) arrived, or until the failure.
    public var duration: Duration

    public init(status: Int?, retryAfter: Duration? = nil, error: String? = nil, duration: Duration) {
        self.status = status
        self.retryAfter = retryAfter
        self.error = error
        self.duration = duration
    }

    /// Whether the receiver accepted it (any 2xx).
    public var isSuccess: Bool {
        guard let status else { return false }
        return (200..<300).contains(status)
    }

    /// `duration` in whole milliseconds, as deliveries are recorded.
    public var durationMilliseconds: Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Reads a `Retry-After` value (RFC 9110 §10.2.3): delay seconds, or an HTTP date,
    /// which becomes the time from `now` until it (zero when it has passed).
    public static func retryAfter(parsing value: String, now: Date = Date()) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(text) { return seconds >= 0 ? .seconds(seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        // IMF-fixdate, the form senders must use; the two obsolete forms are also accepted.
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return .seconds(max(0, Int64(date.timeIntervalSince(now).rounded(.up))))
            }
        }
        return nil
    }
}
