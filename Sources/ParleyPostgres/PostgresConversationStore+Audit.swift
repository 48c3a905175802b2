import Logging
import ParleyCore
import PostgresNIO

/// The audit log (`AuditStore`). The conversation writes (`+Writes`) put
/// `auditAppend(_:)` at the head of a statement they already run, so their leaves cost
/// no round trip of their own; the events that change nothing else come through
/// `appendAudit`, on the node's writer.
///
/// Indexes: every append adds its count to the one row of `audit_head` in its own
/// transaction and takes its indexes from the result. The row stays locked until that
/// transaction commits, so a second node's append waits for it: indexes are gap-free
/// and follow commit order across every node, and a write rolled back gives its indexes
/// back with its leaves.
extension PostgresConversationStore: AuditStore {
    public func appendAudit(_ records: [AuditRecord]) async throws -> [Int64] {
        guard !records.isEmpty else { return [] }
        let logger = self.logger
        return try await write { connection, _ in
            try await Self.appendAuditRecords(records, on: connection, logger: logger)
        }
    }

    /// Appends `records` in order inside the caller's open transaction (one statement);
    /// returns their indexes.
    @discardableResult
    static func appendAuditRecords(_ records: [AuditRecord], on connection: PostgresConnection, logger: Logger)
        async throws -> [Int64]
    {
        guard !records.isEmpty else { return [] }
        guard
            let size = try await connection.query(
                "WITH \(auditAppend(records)) SELECT size FROM audit_size", logger: logger
            ).all().first?["size", as: Int64.self]
        else { throw ParleyError.unavailable(reason: "the audit_head row is missing: the schema is damaged") }
        let first = size - Int64(records.count)
        return Array(first..<size)
    }

    /// Two common table expressions, `audit_size` and `audit_rows`, that append
    /// `records` in order: for a `WITH` that heads another statement of the same
    /// transaction (PostgreSQL runs a data-modifying `WITH` whether or not the statement
    /// reads it). `audit_size` holds the log's size after the append.
    static func auditAppend(_ records: [AuditRecord]) -> SQLFragment {
        let count = Int64(records.count)
        let templates = records.map(AuditLeafTemplate.init)
        // `unnest` of a text array cannot carry a NULL from an array of optionals here:
        // '' stands for "no conversation" (a conversation id is never empty).
        let conversationIDs = records.map { $0.conversationID ?? "" }
        let prefixes = templates.map(\.prefix)
        let suffixes = templates.map(\.suffix)
        return """
            audit_size AS (UPDATE audit_head SET size = size + \(count) WHERE id = 1 RETURNING size),
            audit_rows AS (
                INSERT INTO audit_leaves (idx, conversation_id, leaf)
                SELECT s.size - \(count) + r.ord - 1, nullif(r.conversation_id, ''),
                       r.prefix || (s.size - \(count) + r.ord - 1)::text || r.suffix
                FROM audit_size s,
                     unnest(\(conversationIDs)::text[], \(prefixes)::text[], \(suffixes)::text[])
                         WITH ORDINALITY AS r (conversation_id, prefix, suffix, ord))
            """
    }

    public func auditLeaves(from: Int64, limit: Int, conversationID: String?) async throws -> [StoredAuditLeaf] {
        guard limit > 0 else { return [] }
        let limit = Int64(limit)
        return try await read { connection, logger in
            let filter: SQLFragment = conversationID.map { "conversation_id = \($0) AND " } ?? ""
            return try await connection.query(
                "SELECT idx, leaf FROM audit_leaves WHERE \(filter)idx >= \(from) ORDER BY idx LIMIT \(limit)",
                logger: logger
            ).all().map { row in
                StoredAuditLeaf(index: try row["idx", as: Int64.self], text: try row["leaf", as: String.self])
            }
        }
    }

    public func auditTreeSize() async throws -> Int64 {
        try await read { connection, logger in
            guard
                let size = try await connection.query("SELECT size FROM audit_head WHERE id = 1", logger: logger)
                    .all().first?["size", as: Int64.self]
            else { throw ParleyError.unavailable(reason: "the audit_head row is missing: the schema is damaged") }
            return size
        }
    }

    public func latestAuditCheckpoint() async throws -> StoredAuditCheckpoint? {
        try await read { connection, logger in
            guard
                let row = try await connection.query(
                    "SELECT tree_size, root_hash, timestamp, signature FROM audit_checkpoint WHERE id = 1", logger: logger
                ).all().first
            else { return nil }
            return StoredAuditCheckpoint(
                treeSize: try row["tree_size", as: Int64.self],
                rootHash: Array(buffer: try row["root_hash", as: ByteBuffer.self]),
                timestamp: try row["timestamp", as: String.self],
                signature: Array(buffer: try row["signature", as: ByteBuffer.self]))
        }
    }

    public func saveAuditCheckpoint(_ checkpoint: StoredAuditCheckpoint) async throws {
        // One statement on a pooled connection: it touches no row a write reads. Only a
        // larger tree replaces the one kept, so two nodes signing at once leave the larger.
        try await read { connection, logger in
            try await connection.query(
                """
                INSERT INTO audit_checkpoint (id, tree_size, root_hash, timestamp, signature)
                VALUES (1, \(checkpoint.treeSize), \(ByteBuffer(bytes: checkpoint.rootHash)), \(checkpoint.timestamp),
                        \(ByteBuffer(bytes: checkpoint.signature)))
                ON CONFLICT (id) DO UPDATE SET tree_size = excluded.tree_size, root_hash = excluded.root_hash,
                    timestamp = excluded.timestamp, signature = excluded.signature
                WHERE excluded.tree_size > audit_checkpoint.tree_size
                """, logger: logger)
        }
    }
}
