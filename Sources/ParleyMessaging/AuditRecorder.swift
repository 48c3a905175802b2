import Logging
import ParleyCore

/// Appends the audit events that change nothing else (a support agent's read, a
/// download) right after what they record, through the store's `AuditStore`. A store
/// without one (none today) records nothing. (Webhook and FAQ changes pass their record
/// to the store's write, which appends it in the change's transaction.)
///
/// A failed append fails the request: an agent must not read a conversation, or fetch a
/// file, that the log does not show.
struct AuditRecorder: Sendable {
    let store: (any AuditStore)?
    let throttle: AuditThrottle

    init(store: Any, throttle: AuditThrottle = AuditThrottle()) {
        self.store = store as? any AuditStore
        self.throttle = throttle
    }

    /// Appends `record`.
    func record(_ record: AuditRecord) async throws {
        guard let store else { return }
        _ = try await store.appendAudit([record])
    }

    /// Appends `record` unless an event with `key` was recorded within
    /// `AuditThrottle.window` on this node.
    func record(_ record: AuditRecord, onceWithinWindow key: String) async throws {
        guard let store, throttle.claim(key, now: record.time) else { return }
        do {
            _ = try await store.appendAudit([record])
        } catch {
            throttle.forget(key)
            throw error
        }
    }
}
