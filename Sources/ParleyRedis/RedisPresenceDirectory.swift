import Logging
import ParleyCore
import ParleyRealtime

/// Presence across nodes in Redis.
///
/// Keys: `…:user:<user>` the nodes a user is connected to; `…:node:<node>` the users
/// connected to a node; `…:alive:<node>` a heartbeat that expires after `aliveSeconds`;
/// `…:nodes` every node that ever registered. A node whose heartbeat expired is dead:
/// the first live node to notice removes it (`SREM` answers 1 to exactly one node) and
/// announces its users offline unless another live node still has them.
///
/// When Redis does not answer, the node behaves as if alone (announces what it sees).
public struct RedisPresenceDirectory: PresenceDirectory {
    /// Seconds a heartbeat lives; with a heartbeat every 2 s, a crashed node's users go
    /// offline within about 10 s (the contract allows 15).
    public static let defaultAliveSeconds = 8

    public let nodeID: String
    private let aliveSeconds: Int
    private let pool: RedisConnectionPool
    private let prefix: String
    private let logger: Logger

    /// With a pool of its own.
    public init(
        url: RedisURL, nodeID: String = Identifier.make(prefix: "node"), prefix: String = "parley:presence:",
        aliveSeconds: Int = RedisPresenceDirectory.defaultAliveSeconds, logger: Logger
    ) {
        self.init(pool: RedisConnectionPool(url: url), nodeID: nodeID, prefix: prefix, aliveSeconds: aliveSeconds, logger: logger)
    }

    /// Over `pool`, which other Redis users of the node (tickets) may share: presence
    /// changes on every connect and disconnect, so a connection per operation would cost
    /// a TCP (and TLS, and AUTH) handshake each time.
    public init(
        pool: RedisConnectionPool, nodeID: String = Identifier.make(prefix: "node"), prefix: String = "parley:presence:",
        aliveSeconds: Int = RedisPresenceDirectory.defaultAliveSeconds, logger: Logger
    ) {
        self.pool = pool
        self.aliveSeconds = aliveSeconds
        self.nodeID = nodeID
        self.prefix = prefix
        self.logger = logger
    }

    public func arrived(_ userID: String) async -> Bool {
        await orFalse("arrived") { connection in
            // A node with users is alive: say so now, not only at the next heartbeat.
            try await self.markAlive(on: connection)
            let others = try await self.liveNodes(of: userID, on: connection)
            try await connection.send(["SADD", self.prefix + "user:" + userID, self.nodeID])
            try await connection.send(["SADD", self.prefix + "node:" + self.nodeID, userID])
            return !others.isEmpty
        }
    }

    public func departed(_ userID: String) async -> Bool {
        await orFalse("departed") { connection in
            try await connection.send(["SREM", self.prefix + "user:" + userID, self.nodeID])
            try await connection.send(["SREM", self.prefix + "node:" + self.nodeID, userID])
            return !(try await self.liveNodes(of: userID, on: connection)).isEmpty
        }
    }

    /// Users per `SMISMEMBER`: one reply of this many integers stays small, and a
    /// snapshot of 50,000 users is 50 commands per other node, all pipelined.
    static let membershipBatch = 1_000

    /// Three round trips, however many users: the other nodes, which of them are
    /// alive, then every node's membership of every user, all pipelined.
    public func onlineElsewhere(_ userIDs: [String]) async -> Set<String> {
        guard !userIDs.isEmpty else { return [] }
        do {
            return try await pool.withConnection { connection in
                let nodes = try await members(prefix + "nodes", on: connection).filter { !$0.isSameID(as: nodeID) }
                let aliveReplies = try nodes.map { try connection.enqueue(["EXISTS", prefix + "alive:" + $0]) }
                var liveNodes: [String] = []
                for (node, reply) in zip(nodes, aliveReplies) where try await RedisConnection.reply(reply) == .integer(1) {
                    liveNodes.append(node)
                }
                guard !liveNodes.isEmpty else { return [] }
                var batches: [(range: Range<Int>, reply: Promise<RESPValue>)] = []
                for node in liveNodes {
                    for start in stride(from: 0, to: userIDs.count, by: Self.membershipBatch) {
                        let range = start..<min(start + Self.membershipBatch, userIDs.count)
                        let command = ["SMISMEMBER", prefix + "node:" + node] + userIDs[range]
                        batches.append((range, try connection.enqueue(command)))
                    }
                }
                var online = Set<String>()
                for batch in batches {
                    guard case .array(let flags?) = try await RedisConnection.reply(batch.reply), flags.count == batch.range.count
                    else { throw RedisConnection.ConnectionError.redis("unexpected SMISMEMBER reply") }
                    for (userID, flag) in zip(userIDs[batch.range], flags) where flag == .integer(1) { online.insert(userID) }
                }
                return online
            }
        } catch {
            logger.warning("presence directory unavailable", metadata: ["error": "\(error)"])
            return []
        }
    }

    public func heartbeat() async -> [String] {
        do {
            return try await pool.withConnection { connection in
                try await markAlive(on: connection)
                var orphans: [String] = []
                for node in try await members(prefix + "nodes", on: connection) where !node.isSameID(as: nodeID) {
                    guard try await connection.send(["EXISTS", prefix + "alive:" + node]) == .integer(0),
                        try await connection.send(["SREM", prefix + "nodes", node]) == .integer(1)
                    else { continue }
                    logger.warning("presence: node \(node) stopped; its users go offline")
                    for userID in try await members(prefix + "node:" + node, on: connection) {
                        try await connection.send(["SREM", prefix + "user:" + userID, node])
                        if try await liveNodes(of: userID, on: connection).isEmpty { orphans.append(userID) }
                    }
                    try await connection.send(["DEL", prefix + "node:" + node])
                }
                return orphans
            }
        } catch {
            logger.warning("presence heartbeat failed", metadata: ["error": "\(error)"])
            return []
        }
    }

    private func markAlive(on connection: RedisConnection) async throws {
        try await connection.send(["SET", prefix + "alive:" + nodeID, "1", "EX", String(aliveSeconds)])
        try await connection.send(["SADD", prefix + "nodes", nodeID])
    }

    /// The other nodes, still alive, where `userID` is connected.
    private func liveNodes(of userID: String, on connection: RedisConnection) async throws -> [String] {
        var live: [String] = []
        for node in try await members(prefix + "user:" + userID, on: connection) where !node.isSameID(as: nodeID) {
            if try await connection.send(["EXISTS", prefix + "alive:" + node]) == .integer(1) { live.append(node) }
        }
        return live
    }

    private func members(_ key: String, on connection: RedisConnection) async throws -> [String] {
        guard case .array(let values?) = try await connection.send(["SMEMBERS", key]) else { return [] }
        return values.compactMap(\.string)
    }

    private func orFalse(_ operation: String, _ body: (RedisConnection) async throws -> Bool) async -> Bool {
        do {
            return try await pool.withConnection(body)
        } catch {
            logger.warning("presence directory unavailable", metadata: ["operation": "\(operation)", "error": "\(error)"])
            return false
        }
    }
}
