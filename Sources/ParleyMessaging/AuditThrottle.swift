import ParleyCore
import Synchronization

/// Keeps repeated audit events of one kind from filling the log: an event with a key
/// seen within `window` is not recorded again (a support agent paging through a
/// conversation leaves one leaf per 10 minutes, not one per page).
///
/// In memory, per node: with several nodes an agent may leave one leaf per node and
/// window, and a restart forgets the window. The log loses no kind of event by it, only
/// repetitions.
final class AuditThrottle: Sendable {
    /// How long a recorded event covers its repetitions.
    static let window: Int64 = 10 * 60 * 1_000
    /// Keys remembered at most; past it, expired keys go first, then the oldest. Bounds
    /// the memory whatever the traffic.
    static let maxKeys = 50_000

    private let seen = Mutex<[String: Timestamp]>([:])

    /// Whether the event with `key` should be recorded now; if so, it counts as recorded
    /// (call `forget` when recording it failed).
    func claim(_ key: String, now: Timestamp) -> Bool {
        seen.withLock { seen in
            if let last = seen[key], now.millisecondsSince1970 - last.millisecondsSince1970 < Self.window { return false }
            if seen.count >= Self.maxKeys {
                let cutoff = now.millisecondsSince1970 - Self.window
                seen = seen.filter { $0.value.millisecondsSince1970 >= cutoff }
                if seen.count >= Self.maxKeys, let oldest = seen.min(by: { $0.value < $1.value })?.key {
                    seen[oldest] = nil
                }
            }
            seen[key] = now
            return true
        }
    }

    func forget(_ key: String) {
        seen.withLock { _ = $0.removeValue(forKey: key) }
    }
}
