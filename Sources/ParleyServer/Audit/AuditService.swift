import Crypto
import Logging
import ParleyAudit
import ParleyCore

/// The node's view of the audit log: the Merkle tree of every leaf in the `AuditStore`,
/// checked at start against the last signed checkpoint, caught up with what any node
/// appended before each request, and signed into checkpoints with the node's audit key.
///
/// Concurrency: an actor owns the tree. Store reads happen across `await`s, so two
/// requests may read the same new leaves: a leaf is appended only when its index is the
/// tree's size, and a later duplicate is skipped. A gap (a leaf missing while later ones
/// are stored) is never in flight, so it is corruption: see `appendContiguous`.
///
/// Order at start matters on a shared database: the stored checkpoint is read *before*
/// the leaves, so every leaf it covers was committed before the leaves are read.
public actor AuditService {
    /// Leaves read from the store per query (start-up and catching up).
    static let pageSize = 5_000

    let store: any AuditStore
    let key: Curve25519.Signing.PrivateKey
    let clock: any WallClock
    let logger: Logger

    /// The leaves so far, each checked as appended; nil until the first load.
    private var verifier: AuditLogVerifier?
    /// Why the stored log does not match its checkpoint; set once, never cleared.
    private var corruption: String?
    /// The newest checkpoint this node can answer with: signed by its key and saved.
    private var signed: AuditCheckpoint?
    /// Whether the first load (the start-up check) succeeded; until then the node is not
    /// ready. A load that failed on a database error leaves it false and is tried again.
    private var loaded = false
    /// Requests waiting while the first load runs (nil: no load running).
    private var loadWaiters: [CheckedContinuation<Void, Never>]?

    public init(store: any AuditStore, key: Curve25519.Signing.PrivateKey, clock: any WallClock, logger: Logger) {
        self.store = store
        self.key = key
        self.clock = clock
        self.logger = logger
    }

    /// `GET /api/audit/key`.
    public nonisolated var publicKey: Curve25519.Signing.PublicKey { key.publicKey }

    /// Why the log is refused, once the start-up check found it corrupt.
    public var corruptionReason: String? { corruption }

    /// Whether the start-up check has succeeded (`/ready` answers 503 until it has).
    public var hasLoaded: Bool { loaded && corruption == nil }

    /// Loads and checks the log if that has not happened yet (the start-up check: run by
    /// `AuditCheckpointService` at start, or by the first request that comes sooner).
    public func ensureLoaded() async throws {
        while true {
            if let corruption { throw ParleyError.auditLogCorrupt(reason: corruption) }
            // A load under way holds a half-built tree: wait for it before looking at the tree.
            if loadWaiters != nil {
                await withCheckedContinuation { loadWaiters?.append($0) }
                continue
            }
            if verifier != nil { return }
            loadWaiters = []
            defer {
                for waiter in loadWaiters ?? [] { waiter.resume() }
                loadWaiters = nil
            }
            try await load()
        }
    }

    /// The signed tree head as of now: every leaf committed before the call included.
    public func checkpoint() async throws -> AuditCheckpoint {
        let (checkpoint, isNew) = try await caughtUpCheckpoint()
        guard isNew else { return checkpoint }
        try await store.saveAuditCheckpoint(checkpoint.stored)
        // Counted only once saved: after a failed save the next call signs and saves again.
        // Two calls may save at once; the larger is kept here as in the store.
        if signed.map({ $0.treeSize < checkpoint.treeSize }) ?? true { signed = checkpoint }
        return checkpoint
    }

    /// The checkpoint of the caught-up tree, signed now if the tree grew (`isNew`: not
    /// saved yet). Apart from `checkpoint()` so that no copy of the tree is held across the
    /// save: the next append would then copy the whole tree instead of growing it in place.
    private func caughtUpCheckpoint() async throws -> (AuditCheckpoint, isNew: Bool) {
        let tree = try await caughtUpTree()
        if let signed, signed.treeSize >= tree.size { return (signed, false) }
        let checkpoint = try AuditCheckpoint.sign(treeSize: tree.size, rootHash: tree.root, time: clock.now(), key: key)
        return (checkpoint, true)
    }

    /// RFC 9162 §2.1.3: the proof of leaf `index` in the tree of `treeSize` leaves.
    public func inclusionProof(index: Int64, treeSize: Int64) async throws -> [AuditHash] {
        let tree = try await caughtUpTree()
        do {
            return try tree.inclusionProof(index: index, treeSize: treeSize)
        } catch .indexOutOfRange {
            throw ParleyError.invalid(field: "index", reason: "must be between 0 and treeSize - 1 (\(treeSize - 1))")
        } catch {
            throw ParleyError.invalid(field: "treeSize", reason: "must be between 1 and the log's size (\(tree.size))")
        }
    }

    /// RFC 9162 §2.1.4: the proof that the tree of `from` leaves is a prefix of that of `to`.
    public func consistencyProof(from: Int64, to: Int64) async throws -> [AuditHash] {
        let tree = try await caughtUpTree()
        do {
            return try tree.consistencyProof(from: from, to: to)
        } catch .fromOutOfRange {
            throw ParleyError.invalid(field: "from", reason: "must be between 1 and to (\(to))")
        } catch {
            throw ParleyError.invalid(field: "to", reason: "must be between 1 and the log's size (\(tree.size))")
        }
    }

    /// Leaves as stored, for `GET /api/audit/entries` (refused while the log is corrupt).
    public func entries(from: Int64, limit: Int, conversationID: String?) async throws -> [StoredAuditLeaf] {
        try await ensureLoaded()
        return try await store.auditLeaves(from: from, limit: limit, conversationID: conversationID)
    }

    // MARK: - Loading and catching up

    /// The tree with every leaf committed so far.
    private func caughtUpTree() async throws -> MerkleTree {
        try await ensureLoaded()
        while true {
            let size = verifier!.tree.size
            let page = try await store.auditLeaves(from: size, limit: Self.pageSize, conversationID: nil)
            if let corruption { throw ParleyError.auditLogCorrupt(reason: corruption) }
            appendContiguous(page)
            if let corruption { throw ParleyError.auditLogCorrupt(reason: corruption) }
            if page.count < Self.pageSize || verifier!.tree.size == size { break }
        }
        return verifier!.tree
    }

    /// Appends the leaves of `page` that continue the tree, skipping those it holds.
    ///
    /// A gap anywhere, below the last checkpoint or beyond it, marks the log corrupt: no
    /// store can show a leaf while an earlier one is still in flight. PostgreSQL takes an
    /// index under the `audit_head` row lock, held to commit, so indexes commit in order
    /// and a snapshot holding leaf n holds every leaf before it; SQLite has one writer. A
    /// leaf missing below a stored one was deleted behind the server's back.
    private func appendContiguous(_ page: [StoredAuditLeaf]) {
        guard var current = verifier else { return }
        // Held by `current` alone while it grows, so the tree is appended to in place.
        verifier = nil
        defer { if corruption == nil { verifier = current } }
        for leaf in page {
            if leaf.index < current.tree.size { continue }
            do {
                try current.append(leaf)
            } catch {
                markCorrupt(error.reason)
                return
            }
        }
    }

    /// The start-up check: the stored checkpoint's form and signature (this node's key),
    /// then every leaf's stored and JSON index in order with no gap, then the root of the
    /// first `treeSize` leaves against the checkpoint's.
    private func load() async throws {
        let stored = try await store.latestAuditCheckpoint()
        var checkpoint: AuditCheckpoint?
        if let stored {
            do {
                checkpoint = try AuditCheckpoint(stored: stored)
            } catch {
                markCorrupt("the stored checkpoint is malformed: \(error.description)")
                return
            }
            // Another key's signature proves nothing about this log: it could be anyone's.
            guard checkpoint!.isSigned(by: key.publicKey) else {
                markCorrupt(
                    "the stored checkpoint of size \(stored.treeSize) is not signed by this node's audit key: every node sharing a database must be given the same --audit-key")
                return
            }
        }
        verifier = AuditLogVerifier(checksCanonicalJSON: false)
        do {
            while true {
                let size = verifier!.tree.size
                let page = try await store.auditLeaves(from: size, limit: Self.pageSize, conversationID: nil)
                appendContiguous(page)
                if corruption != nil { return }
                if page.count < Self.pageSize || verifier!.tree.size == size { break }
            }
        } catch {
            verifier = nil
            throw error
        }
        guard let checkpoint else {
            // Leaves without a checkpoint row is no corruption: a node can die after its
            // first appends and before its first checkpoint is saved.
            if verifier!.tree.size > 0 {
                logger.warning(
                    "the audit log has leaves but no checkpoint yet; it is checked from its first checkpoint on",
                    metadata: ["treeSize": "\(verifier!.tree.size)"])
            }
            loaded = true
            return
        }
        do {
            try verifier!.check(checkpoint, publicKey: key.publicKey)
        } catch {
            markCorrupt(error.reason)
            return
        }
        signed = checkpoint
        loaded = true
        logger.info(
            "audit log checked against its last checkpoint",
            metadata: ["treeSize": "\(verifier!.tree.size)", "checkpointSize": "\(checkpoint.treeSize)"])
    }

    private func markCorrupt(_ reason: String) {
        guard corruption == nil else { return }
        corruption = reason
        verifier = nil
        logger.critical(
            "AUDIT LOG CORRUPT: the stored audit log does not match its last signed checkpoint; /ready and /api/audit/* answer 503 audit_log_corrupt until it is restored",
            metadata: ["reason": "\(reason)"])
    }
}
