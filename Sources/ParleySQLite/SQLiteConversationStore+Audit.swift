import Foundation
import GRDB
import ParleyCore

/// The audit log (`AuditStore`). The conversation writes (`+Writes`) append their leaves
/// with `appendAuditRecords(_:in:)` inside their own transaction; the events that change
/// nothing else come through `appendAudit`.
///
/// Indexes: the next one is `max(idx) + 1`, read inside the write transaction. Every
/// write goes through the one writer and holds SQLite's write lock (an immediate
/// transaction) until it commits, so indexes are gap-free and follow commit order, also
/// with several processes on one file. A write that fails rolls its savepoint back, its
/// leaves with it.
extension SQLiteConversationStore: AuditStore {
    public func appendAudit(_ records: [AuditRecord]) async throws -> [Int64] {
        guard !records.isEmpty else { return [] }
        return try await writer.write { database in try Self.appendAuditRecords(records, in: database) }
    }

    /// Appends `records` in order inside the caller's open transaction; returns their
    /// indexes. Each leaf is stored as `AuditLeaf.canonicalJSON(index:record:)`.
    @discardableResult
    static func appendAuditRecords(_ records: [AuditRecord], in database: Database) throws -> [Int64] {
        guard !records.isEmpty else { return [] }
        var next = try auditTreeSize(in: database)
        var indexes: [Int64] = []
        indexes.reserveCapacity(records.count)
        let insert = try database.cachedStatement(sql: "INSERT INTO audit_leaves (idx, conversation_id, leaf) VALUES (?, ?, ?)")
        for record in records {
            try insert.execute(arguments: [next, record.conversationID, AuditLeaf.canonicalJSON(index: next, record: record)])
            indexes.append(next)
            next += 1
        }
        return indexes
    }

    public func auditLeaves(from: Int64, limit: Int, conversationID: String?) async throws -> [StoredAuditLeaf] {
        guard limit > 0 else { return [] }
        return try await pool.read { database in
            let rows: [Row]
            if let conversationID {
                rows = try Row.fetchAll(
                    try database.cachedStatement(
                        sql: "SELECT idx, leaf FROM audit_leaves WHERE conversation_id = ? AND idx >= ? ORDER BY idx LIMIT ?"),
                    arguments: [conversationID, from, limit])
            } else {
                rows = try Row.fetchAll(
                    try database.cachedStatement(sql: "SELECT idx, leaf FROM audit_leaves WHERE idx >= ? ORDER BY idx LIMIT ?"),
                    arguments: [from, limit])
            }
            return rows.map { StoredAuditLeaf(index: $0["idx"], text: $0["leaf"]) }
        }
    }

    public func auditTreeSize() async throws -> Int64 {
        try await pool.read { database in try Self.auditTreeSize(in: database) }
    }

    private static func auditTreeSize(in database: Database) throws -> Int64 {
        try Int64.fetchOne(try database.cachedStatement(sql: "SELECT coalesce(max(idx) + 1, 0) FROM audit_leaves")) ?? 0
    }

    public func latestAuditCheckpoint() async throws -> StoredAuditCheckpoint? {
        try await pool.read { database in
            guard
                let row = try Row.fetchOne(
                    try database.cachedStatement(
                        sql: "SELECT tree_size, root_hash, timestamp, signature FROM audit_checkpoint WHERE id = 1"))
            else { return nil }
            let rootHash: Data = row["root_hash"]
            let signature: Data = row["signature"]
            return StoredAuditCheckpoint(
                treeSize: row["tree_size"], rootHash: [UInt8](rootHash), timestamp: row["timestamp"],
                signature: [UInt8](signature))
        }
    }

    public func saveAuditCheckpoint(_ checkpoint: StoredAuditCheckpoint) async throws {
        try await writer.write { database in
            // Only a larger tree replaces the one kept: two nodes signing at once leave the larger.
            try database.cachedStatement(
                sql: """
                    INSERT INTO audit_checkpoint (id, tree_size, root_hash, timestamp, signature) VALUES (1, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET tree_size = excluded.tree_size, root_hash = excluded.root_hash,
                        timestamp = excluded.timestamp, signature = excluded.signature
                    WHERE excluded.tree_size > audit_checkpoint.tree_size
                    """
            ).execute(arguments: [
                checkpoint.treeSize, Data(checkpoint.rootHash), checkpoint.timestamp, Data(checkpoint.signature),
            ])
        }
    }
}
