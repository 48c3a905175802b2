import Logging
import ParleyCore
import Synchronization

/// Records in the store what a sign-in tells about its user, once per process and change:
/// that it is a support agent (so that only such users can be assigned conversations,
/// `Policy.requireAssignable`), and its display name (for template variables such as
/// `buyer.name`).
///
/// Concurrency: what was already recorded is behind a `Mutex`; the store writes happen
/// outside it. A failed write is logged and retried on the user's next request.
public final class SignInRecorder: Sendable {
    /// Users remembered as recorded; past this many, the memory starts over (a repeated
    /// record is an idempotent write, never wrong).
    static let maxRemembered = 10_000
    /// Longest display name kept: a name is shown inside a message, not a document.
    public static let maxNameBytes = 128

    private struct Recorded {
        var agents: Set<OpaqueID> = []
        var names: [OpaqueID: String] = [:]
    }

    private let store: any ConversationStore & AssistStore
    private let clock: any WallClock
    private let logger: Logger
    private let recorded = Mutex(Recorded())

    public init(store: any ConversationStore & AssistStore, clock: any WallClock, logger: Logger) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// Notes that `principal` signed in: records it as a support agent, and its name, when
    /// not yet recorded by this process.
    public func signedIn(_ principal: Principal) async {
        let key = OpaqueID(principal.userID)
        let (knownAgent, knownName) = recorded.withLock { ($0.agents.contains(key), $0.names[key]) }
        if principal.role == .support && !knownAgent {
            do {
                try await store.recordSupportAgent(principal.userID, now: clock.now())
                remember { $0.agents.insert(key) }
            } catch {
                logger.warning("could not record support agent", metadata: ["user": "\(principal.userID)", "error": "\(error)"])
            }
        }
        if let name = Self.displayName(principal.name), name != knownName {
            do {
                try await store.recordUserName(principal.userID, name: name)
                remember { $0.names[key] = name }
            } catch {
                logger.warning("could not record user name", metadata: ["user": "\(principal.userID)", "error": "\(error)"])
            }
        }
    }

    private func remember(_ change: (inout Recorded) -> Void) {
        recorded.withLock { recorded in
            if recorded.agents.count + recorded.names.count >= Self.maxRemembered { recorded = Recorded() }
            change(&recorded)
        }
    }

    /// The name as kept: trimmed, cut to `maxNameBytes` on a character boundary; `nil` when empty.
    static func displayName(_ name: String?) -> String? {
        guard let trimmed = name?.trimmingWhitespace(), !trimmed.isEmpty else { return nil }
        var kept = ""
        for character in trimmed {
            if kept.utf8.count + character.utf8.count > maxNameBytes { break }
            kept.append(character)
        }
        return kept
    }
}
