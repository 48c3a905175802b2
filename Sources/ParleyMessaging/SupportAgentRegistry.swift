import Logging
import ParleyCore
import Synchronization

/// Records in the store each user seen with a `support` token, once per process, so
/// that only such users can be assigned conversations (`Policy.requireAssignable`).
///
/// Concurrency: the set of agents already recorded is behind a `Mutex`; the store write
/// happens outside it. A failed write is logged and retried on the agent's next request.
public final class SupportAgentRegistry: Sendable {
    /// Agents remembered as recorded; past this many, the set starts over (a repeated
    /// record is an idempotent write, never wrong).
    static let maxRemembered = 10_000

    private let store: any ConversationStore
    private let clock: any WallClock
    private let logger: Logger
    private let recorded = Mutex<Set<OpaqueID>>([])

    public init(store: any ConversationStore, clock: any WallClock, logger: Logger) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// Notes that `principal` signed in; records it when it is a support agent not yet recorded.
    public func signedIn(_ principal: Principal) async {
        guard principal.role == .support else { return }
        let key = OpaqueID(principal.userID)
        let known = recorded.withLock { $0.contains(key) }
        if known { return }
        do {
            try await store.recordSupportAgent(principal.userID, now: clock.now())
            recorded.withLock { recorded in
                if recorded.count >= Self.maxRemembered { recorded.removeAll(keepingCapacity: true) }
                recorded.insert(key)
            }
        } catch {
            logger.warning("could not record support agent", metadata: ["user": "\(principal.userID)", "error": "\(error)"])
        }
    }
}
