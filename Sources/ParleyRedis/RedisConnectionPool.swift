import DequeModule
import NIOCore
import ParleyCore
import Synchronization

/// A few connections to Redis, reused across operations (a ticket, a presence update)
/// instead of a new TCP (and TLS) connection for each.
///
/// ```swift
/// let pool = RedisConnectionPool(url: url)
/// let reply = try await pool.withConnection { try await $0.send(["GET", key]) }
/// ```
///
/// A caller has its connection to itself for the length of its closure, so a sequence
/// of commands is not interleaved with another caller's. At most `maxConnections` are
/// open; further callers wait in line (at most `maxWaiting` of them, else they fail at
/// once). A connection that ended (Redis restarted, a reply timed out) is dropped when
/// handed back; the next caller opens a fresh one. Idle connections close when the pool
/// is released.
///
/// Concurrency: `state` (a `Mutex`) holds the idle connections, the count of open ones
/// and the callers waiting; nothing awaits while holding it.
public final class RedisConnectionPool: Sendable {
    /// Enough for a node's tickets and presence: each operation takes well under a
    /// millisecond of Redis time.
    public static let defaultMaxConnections = 4
    /// Callers waiting for a connection at most; past it Redis is too slow to be worth
    /// queueing for, and the caller fails at once (its request answers 503).
    static let maxWaiting = 1_000

    /// After a connection could not be opened, callers that would open another fail at
    /// once for this long instead of each waiting out a connect timeout in line: with
    /// Redis away, presence and tickets answer in milliseconds (and degrade) rather than
    /// queueing for minutes behind a few slots.
    static let coolOff: Duration = .seconds(1)

    public enum PoolError: Error, Sendable {
        case tooManyWaiting
        /// Redis could not be reached a moment ago (see `coolOff`).
        case unreachable
    }

    /// What a waiting caller receives: a connection handed over, or a free slot to open
    /// its own in.
    private enum Grant: Sendable {
        case connection(RedisConnection)
        case openSlot
    }

    private struct State {
        var idle: [RedisConnection] = []
        var open = 0
        var waiting = Deque<Promise<Grant>>()
        /// Until when opening a connection is not tried (the last try failed).
        var unreachableUntil: ContinuousClock.Instant?
    }

    public let url: RedisURL
    let maxConnections: Int
    private let replyTimeout: TimeAmount
    private let state = Mutex(State())

    public init(
        url: RedisURL, maxConnections: Int = RedisConnectionPool.defaultMaxConnections,
        replyTimeout: TimeAmount = RedisConnection.defaultReplyTimeout
    ) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.url = url
        self.maxConnections = maxConnections
        self.replyTimeout = replyTimeout
    }

    /// Connections open now (idle or lent), for tests and metrics.
    public var openConnections: Int { state.withLock { $0.open } }

    /// Runs `body` with a connection of the pool, then takes it back.
    public func withConnection<Value: Sendable>(_ body: (RedisConnection) async throws -> Value) async throws -> Value {
        let connection = try await lease()
        defer { giveBack(connection) }
        return try await body(connection)
    }

    /// Sends one command on a pooled connection.
    @discardableResult
    public func send(_ parts: [String]) async throws -> RESPValue {
        try await withConnection { try await $0.send(parts) }
    }

    private enum Lease {
        case ready(RedisConnection)
        case open
        case wait(Promise<Grant>)
        case refused
    }

    private func lease() async throws -> RedisConnection {
        let lease = state.withLock { state -> Lease in
            while let connection = state.idle.popLast() {
                if !connection.isClosed { return .ready(connection) }
                state.open -= 1
            }
            if state.open < maxConnections {
                state.open += 1
                return .open
            }
            guard state.waiting.count < Self.maxWaiting else { return .refused }
            let promise = Promise<Grant>()
            state.waiting.append(promise)
            return .wait(promise)
        }
        switch lease {
        case .ready(let connection): return connection
        case .open: return try await openInSlot()
        case .refused: throw PoolError.tooManyWaiting
        case .wait(let promise):
            switch try await promise.value {
            case .connection(let connection): return connection
            case .openSlot: return try await openInSlot()
            }
        }
    }

    /// Opens a connection in a slot already counted in `open`; a failure frees the slot
    /// (and, for `coolOff`, fails the callers that would try again at once).
    private func openInSlot() async throws -> RedisConnection {
        let coolingOff = state.withLock { state in state.unreachableUntil.map { ContinuousClock.now < $0 } ?? false }
        if coolingOff {
            releaseSlot()
            throw PoolError.unreachable
        }
        do {
            let connection = try await RedisConnection.connect(to: url, replyTimeout: replyTimeout)
            state.withLock { $0.unreachableUntil = nil }
            return connection
        } catch {
            state.withLock { $0.unreachableUntil = ContinuousClock.now + Self.coolOff }
            releaseSlot()
            throw error
        }
    }

    private func giveBack(_ connection: RedisConnection) {
        guard !connection.isClosed else { return releaseSlot() }
        let waiter = state.withLock { state -> Promise<Grant>? in
            guard let waiter = state.waiting.popFirst() else {
                state.idle.append(connection)
                return nil
            }
            return waiter
        }
        waiter?.succeed(.connection(connection))
    }

    /// A connection ended or never opened: its slot goes to the next caller in line.
    private func releaseSlot() {
        let waiter = state.withLock { state -> Promise<Grant>? in
            guard let waiter = state.waiting.popFirst() else {
                state.open -= 1
                return nil
            }
            return waiter
        }
        waiter?.succeed(.openSlot)
    }
}
