import Foundation
import ParleyCore
import ParleyRealtime

/// Single-use realtime tickets in Redis, so a ticket issued on one node opens a
/// WebSocket on any node. `SET … EX 60 NX` to issue, `GETDEL` to redeem once; Redis
/// expires what is never redeemed. Commands go over a small pool of kept connections.
public struct RedisTicketStore: TicketStore {
    private struct Stored: Codable {
        var userID: String
        var role: Role
        var name: String?
        var expiresAt: Int64?
    }

    private let pool: RedisConnectionPool
    private let prefix: String

    public init(pool: RedisConnectionPool, prefix: String = "parley:ticket:") {
        self.pool = pool
        self.prefix = prefix
    }

    /// With a pool of its own.
    public init(url: RedisURL, prefix: String = "parley:ticket:") {
        self.init(pool: RedisConnectionPool(url: url), prefix: prefix)
    }

    public func issue(for principal: Principal, now: Timestamp) async throws -> String {
        let ticket = Identifier.make(prefix: "t") + Identifier.make(prefix: "")
        let stored = Stored(
            userID: principal.userID, role: principal.role, name: principal.name,
            expiresAt: principal.expiresAt?.millisecondsSince1970)
        let json = String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)
        let seconds = String(InMemoryTicketStore.lifetimeMilliseconds / 1000)
        do {
            try await pool.send(["SET", prefix + ticket, json, "EX", seconds, "NX"])
        } catch {
            throw ParleyError.unavailable(reason: "tickets are kept in Redis, which is not answering")
        }
        return ticket
    }

    public func redeem(_ ticket: String, now: Timestamp) async throws -> Principal? {
        guard ticket.utf8.count <= 128 else { return nil }
        let reply: RESPValue
        do {
            reply = try await pool.send(["GETDEL", prefix + ticket])
        } catch {
            throw ParleyError.unavailable(reason: "tickets are kept in Redis, which is not answering")
        }
        guard case .bulkString(let bytes?) = reply, let stored = try? JSONDecoder().decode(Stored.self, from: Data(bytes))
        else { return nil }
        return Principal(
            userID: stored.userID, role: stored.role, name: stored.name,
            expiresAt: stored.expiresAt.map(Timestamp.init(millisecondsSince1970:)))
    }
}
