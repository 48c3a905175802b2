/// A leaf as stored: its 0-based index and its canonical JSON text, exactly as hashed.
public struct StoredAuditLeaf: Sendable, Equatable {
    public var index: Int64
    public var text: String

    public init(index: Int64, text: String) {
        self.index = index
        self.text = text
    }
}

/// A signed tree head as kept in the database (the newest one signed).
public struct StoredAuditCheckpoint: Sendable, Equatable {
    public var treeSize: Int64
    /// 32 bytes.
    public var rootHash: [UInt8]
    /// RFC 3339, as signed.
    public var timestamp: String
    /// Ed25519, 64 bytes.
    public var signature: [UInt8]

    public init(treeSize: Int64, rootHash: [UInt8], timestamp: String, signature: [UInt8]) {
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.timestamp = timestamp
        self.signature = signature
    }
}

/// The audit log's storage. Writes that a leaf records append it inside their own
/// transaction (the store methods that take an `AuditRecord`); this protocol appends
/// the events that change nothing else (a support agent's read, a download) and reads
/// the log back. Indexes are gap-free and follow commit order, across nodes.
public protocol AuditStore: Sendable {
    /// Appends `records` in one transaction, in order; returns their indexes.
    func appendAudit(_ records: [AuditRecord]) async throws -> [Int64]

    /// Leaves from index `from` (inclusive) ascending, at most `limit`; with a
    /// `conversationID`, only that conversation's leaves.
    func auditLeaves(from: Int64, limit: Int, conversationID: String?) async throws -> [StoredAuditLeaf]

    /// How many leaves are committed (the next index).
    func auditTreeSize() async throws -> Int64

    /// The newest checkpoint saved, or `nil` before the first.
    func latestAuditCheckpoint() async throws -> StoredAuditCheckpoint?

    /// Keeps `checkpoint` when it is larger than the one kept (a smaller or equal one is ignored).
    func saveAuditCheckpoint(_ checkpoint: StoredAuditCheckpoint) async throws
}
