import ParleyCore
import Synchronization

/// Single-use tickets that let a browser (which cannot set headers) open a WebSocket:
/// issued for an authenticated caller, valid 60 s, redeemed once.
public protocol TicketStore: Sendable {
    func issue(for principal: Principal, now: Timestamp) async throws -> String
    /// The ticket's caller, once; `nil` for an unknown, used or expired ticket.
    func redeem(_ ticket: String, now: Timestamp) async throws -> Principal?
}

/// Tickets in this node's memory (one node; a cluster keeps them in Redis).
///
/// Issuing and redeeming cost O(1) amortised however many tickets are outstanding:
/// tickets sit in a dictionary for redemption and in a queue in issue order, which is
/// also expiry order (every ticket lives the same 60 s). Each issue first pops the
/// expired (and already redeemed) tickets off the front of the queue, and past
/// `maxOutstanding` drops the oldest. Redeemed tickets leave their queue entry behind
/// until it reaches the front; when such leftovers outnumber the live tickets the queue
/// is rebuilt, so it never holds more than twice `maxOutstanding` entries.
///
/// Concurrency: `state` (a `Mutex`) holds both structures.
public final class InMemoryTicketStore: TicketStore {
    /// Contract: a ticket is valid for 60 s.
    public static let lifetimeMilliseconds: Int64 = 60_000
    /// Outstanding tickets at most; past it the oldest are dropped. Bounds memory when a
    /// client asks for tickets it never uses.
    public static let maxOutstanding = 100_000

    private struct Entry {
        var principal: Principal
        var expiresAt: Int64
    }

    private struct State {
        var tickets: [String: Entry] = [:]
        /// Every ticket still in `tickets`, plus redeemed ones not yet popped, oldest first.
        var issueOrder = IssueQueue()
    }

    /// A first-in first-out queue over an array: popping moves `head`, and the popped
    /// prefix is cut off once it is half the array (each entry is moved O(1) times).
    private struct IssueQueue {
        private var entries: [(ticket: String, expiresAt: Int64)] = []
        private var head = 0

        var count: Int { entries.count - head }
        var first: (ticket: String, expiresAt: Int64)? { head < entries.count ? entries[head] : nil }

        mutating func append(_ entry: (ticket: String, expiresAt: Int64)) { entries.append(entry) }

        mutating func popFirst() -> (ticket: String, expiresAt: Int64)? {
            guard head < entries.count else { return nil }
            defer {
                head += 1
                if head * 2 >= entries.count {
                    entries.removeFirst(head)
                    head = 0
                }
            }
            return entries[head]
        }

        /// Keeps only the entries `isLive` accepts, in order.
        mutating func compact(_ isLive: ((ticket: String, expiresAt: Int64)) -> Bool) {
            entries = entries[head...].filter(isLive)
            head = 0
        }
    }

    private let state = Mutex(State())
    private let maxOutstanding: Int

    public init() {
        maxOutstanding = Self.maxOutstanding
    }

    /// With a smaller bound (tests).
    init(maxOutstanding: Int) {
        precondition(maxOutstanding > 0)
        self.maxOutstanding = maxOutstanding
    }

    /// Tickets issued and neither redeemed nor dropped (some may have expired).
    public var outstandingCount: Int { state.withLock { $0.tickets.count } }

    public func issue(for principal: Principal, now: Timestamp) async throws -> String {
        let ticket = Identifier.make(prefix: "t") + Identifier.make(prefix: "")
        let expiresAt = now.millisecondsSince1970 + Self.lifetimeMilliseconds
        let maxOutstanding = maxOutstanding
        state.withLock { state in
            // Expired, or redeemed already (its entry is gone or, after a clock step, newer).
            while let oldest = state.issueOrder.first,
                oldest.expiresAt <= now.millisecondsSince1970 || state.tickets[oldest.ticket]?.expiresAt != oldest.expiresAt
            {
                _ = state.issueOrder.popFirst()
                if state.tickets[oldest.ticket]?.expiresAt == oldest.expiresAt { state.tickets[oldest.ticket] = nil }
            }
            while state.tickets.count >= maxOutstanding, let oldest = state.issueOrder.popFirst() {
                if state.tickets[oldest.ticket]?.expiresAt == oldest.expiresAt { state.tickets[oldest.ticket] = nil }
            }
            if state.issueOrder.count >= 2 * maxOutstanding {
                let tickets = state.tickets
                state.issueOrder.compact { tickets[$0.ticket]?.expiresAt == $0.expiresAt }
            }
            state.tickets[ticket] = Entry(principal: principal, expiresAt: expiresAt)
            state.issueOrder.append((ticket, expiresAt))
        }
        return ticket
    }

    public func redeem(_ ticket: String, now: Timestamp) async throws -> Principal? {
        let entry = state.withLock { $0.tickets.removeValue(forKey: ticket) }
        guard let entry, entry.expiresAt > now.millisecondsSince1970 else { return nil }
        return entry.principal
    }
}
