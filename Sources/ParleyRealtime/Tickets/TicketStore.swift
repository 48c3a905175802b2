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

    private let tickets = Mutex<[String: Entry]>([:])

    public init() {}

    public func issue(for principal: Principal, now: Timestamp) async throws -> String {
        let ticket = Identifier.make(prefix: "t") + Identifier.make(prefix: "")
        let expiresAt = now.millisecondsSince1970 + Self.lifetimeMilliseconds
        tickets.withLock { tickets in
            if tickets.count >= Self.maxOutstanding {
                tickets = tickets.filter { $0.value.expiresAt > now.millisecondsSince1970 }
                if tickets.count >= Self.maxOutstanding, let oldest = tickets.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
                    tickets[oldest.key] = nil
                }
            }
            tickets[ticket] = Entry(principal: principal, expiresAt: expiresAt)
        }
        return ticket
    }

    public func redeem(_ ticket: String, now: Timestamp) async throws -> Principal? {
        let entry = tickets.withLock { $0.removeValue(forKey: ticket) }
        guard let entry, entry.expiresAt > now.millisecondsSince1970 else { return nil }
        return entry.principal
    }
}
