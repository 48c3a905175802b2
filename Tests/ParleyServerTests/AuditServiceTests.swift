import Crypto
import Foundation
import Logging
import ParleyAudit
import ParleyCore
import ParleySQLite
import ParleyTestSupport
import ServiceLifecycle
import Testing

@testable import ParleyServer

/// `AuditService` on a real SQLite store: concurrent requests while leaves are appended,
/// two services (two nodes) on one store, and the start-up check and catching up refusing
/// a damaged log (another key's checkpoint, a negative size, a gap), a failed checkpoint
/// save tried again, and `/ready` waiting for the first load. Damage is done to the file
/// with Python's sqlite3, as someone with the database would.
@Suite struct AuditServiceTests {
    static func record(_ offset: Int64) -> AuditRecord {
        AuditRecord(
            time: Timestamp(millisecondsSince1970: 1_795_000_000_000 + offset), actor: "agent1", role: "support",
            action: .assigneeChanged, conversationID: "c\(offset % 5)", details: ["assignedTo": "agent1"])
    }

    /// Runs `body` with a fresh SQLite store whose writer runs.
    static func withStore(_ body: @Sendable @escaping (SQLiteConversationStore) async throws -> Void) async throws {
        try await withStore { store, _ in try await body(store) }
    }

    /// Runs `body` with a fresh SQLite store whose writer runs, and its file's path.
    static func withStore(_ body: @Sendable @escaping (SQLiteConversationStore, String) async throws -> Void) async throws {
        let folder = try makeTemporaryFolder("audit-service")
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "audit-service-test")
        logger.logLevel = .warning
        let path = folder.appendingPathComponent("parley.sqlite").path
        let store = try SQLiteConversationStore(path: path, logger: logger)
        let group = ServiceGroup(services: [store], gracefulShutdownSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(store, path)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func service(_ store: any AuditStore, key: Curve25519.Signing.PrivateKey = .init()) -> AuditService {
        var logger = Logger(label: "audit-service-test")
        logger.logLevel = .critical
        return AuditService(store: store, key: key, clock: SystemWallClock(), logger: logger)
    }

    @Test func concurrentRequestsWhileLeavesAreAppendedAllVerify() async throws {
        try await Self.withStore { store in
            let audit = Self.service(store)
            let key = audit.publicKey
            let checkpoints = try await withThrowingTaskGroup(of: [AuditCheckpoint].self) { group in
                group.addTask {
                    for offset in 0..<40 { _ = try await store.appendAudit([Self.record(Int64(offset))]) }
                    return []
                }
                for _ in 0..<4 {
                    group.addTask {
                        var seen: [AuditCheckpoint] = []
                        for _ in 0..<15 { seen.append(try await audit.checkpoint()) }
                        return seen
                    }
                }
                var all: [AuditCheckpoint] = []
                for try await seen in group { all += seen }
                return all
            }
            let final = try await audit.checkpoint()
            #expect(final.treeSize == 40, "every committed leaf is in the checkpoint after the writes")
            let leaves = try await store.auditLeaves(from: 0, limit: 100, conversationID: nil)
            let tree = MerkleTree(leafHashes: leaves.map { AuditHash.leaf(text: $0.text) })
            for checkpoint in checkpoints + [final] {
                #expect(checkpoint.isSigned(by: key))
                #expect(try tree.root(size: checkpoint.treeSize) == checkpoint.rootHash, "size \(checkpoint.treeSize)")
                if checkpoint.treeSize > 0 {
                    let proof = try await audit.consistencyProof(from: checkpoint.treeSize, to: final.treeSize)
                    #expect(
                        MerkleProofVerifier.verifyConsistency(
                            firstSize: checkpoint.treeSize, secondSize: final.treeSize, firstRoot: checkpoint.rootHash,
                            secondRoot: final.rootHash, proof: proof))
                }
            }
            let latest = try await store.latestAuditCheckpoint()
            let stored = try #require(latest)
            #expect(stored.treeSize == 40, "the largest checkpoint is the one kept")
        }
    }

    @Test func aSecondNodeWithTheSharedKeySeesTheFirstsLeavesAndAnotherKeyIsRefused() async throws {
        try await Self.withStore { store in
            let shared = Curve25519.Signing.PrivateKey()
            // Leaves and no checkpoint row: a node can die before its first checkpoint is
            // saved, so this loads (with a warning), under any key.
            _ = try await store.appendAudit((0..<7).map { Self.record($0) })
            let first = Self.service(store, key: shared)
            try await first.ensureLoaded()
            let firstLoaded = await first.hasLoaded
            #expect(firstLoaded)
            let signedByFirst = try await first.checkpoint()
            #expect(signedByFirst.treeSize == 7)

            let second = Self.service(store, key: shared)
            let seen = try await second.checkpoint()
            let reason = await second.corruptionReason
            #expect(reason == nil, "the shared key's checkpoint over the same tree is no corruption")
            #expect(seen.treeSize == 7 && seen.rootHash == signedByFirst.rootHash)
            #expect(seen.isSigned(by: second.publicKey))

            // A node given another key cannot vouch for the stored checkpoint: refused.
            let stranger = Self.service(store)
            let refusal = await Self.corruption { _ = try await stranger.checkpoint() }
            #expect(refusal?.contains("not signed by this node's audit key") == true, "\(refusal ?? "accepted")")
            #expect(refusal?.contains("same --audit-key") == true)
            // Read into constants first: an actor read inside #expect crashed the test
            // process here (heap corruption at task teardown, as commit 8e76de2 describes).
            let strangerReason = await stranger.corruptionReason
            let strangerLoaded = await stranger.hasLoaded
            #expect(strangerReason == refusal)
            #expect(!strangerLoaded)

            _ = try await store.appendAudit([Self.record(7)])
            let grown = try await first.checkpoint()
            #expect(grown.treeSize == 8, "the first node catches up with a leaf it did not write")
            let proof = try await second.inclusionProof(index: 7, treeSize: 8)
            let leaves = try await store.auditLeaves(from: 0, limit: 100, conversationID: nil)
            #expect(Self.includes(proof, leaves: leaves, index: 7, root: grown.rootHash))
        }
    }

    /// The reason of the `audit_log_corrupt` that `body` throws; nil when it throws none.
    static func corruption(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
        } catch ParleyError.auditLogCorrupt(let reason) {
            return reason
        } catch {
            Issue.record("expected audit_log_corrupt, got \(error)")
        }
        return nil
    }

    /// Runs one SQL statement on the SQLite file at `path`, from another process.
    static func sql(_ path: String, _ statement: String) async throws {
        let script = "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], timeout=30)\nc.execute(sys.argv[2])\nc.commit()"
        let result = try await AuditLogProcessTests.run(try PythonCounterpart.python(), ["-c", script, path, statement])
        try #require(result.status == 0, "\(statement): \(result.output)")
    }

    @Test func aNegativeStoredTreeSizeIsCorruptionNotATrap() async throws {
        try await Self.withStore { store in
            let key = Curve25519.Signing.PrivateKey()
            _ = try await store.appendAudit((0..<2).map { Self.record($0) })
            var stored = try AuditCheckpoint.sign(
                treeSize: 2, rootHash: .emptyTree, time: Timestamp(millisecondsSince1970: 0), key: key
            ).stored
            stored.treeSize = -1
            try await store.saveAuditCheckpoint(stored)
            let audit = Self.service(store, key: key)
            let reason = await Self.corruption { try await audit.ensureLoaded() }
            #expect(reason?.contains("tree_size: -1") == true, "\(reason ?? "accepted")")
        }
    }

    /// No store shows a leaf while an earlier one is in flight, so a leaf missing beyond
    /// the last checkpoint (deleted) is corruption, as below it.
    @Test func aGapBeyondTheLastCheckpointIsCorruption() async throws {
        try await Self.withStore { store, path in
            let key = Curve25519.Signing.PrivateKey()
            let audit = Self.service(store, key: key)
            _ = try await store.appendAudit((0..<3).map { Self.record($0) })
            #expect(try await audit.checkpoint().treeSize == 3)
            _ = try await store.appendAudit((3..<6).map { Self.record($0) })
            try await Self.sql(path, "DELETE FROM audit_leaves WHERE idx = 4")
            let reason = await Self.corruption { _ = try await audit.checkpoint() }
            #expect(reason?.contains("leaf 4") == true, "\(reason ?? "accepted")")
            await #expect(throws: ParleyError.self) { _ = try await audit.inclusionProof(index: 0, treeSize: 3) }

            // The start-up check of a node started afterwards (same key) refuses it too.
            let later = Self.service(store, key: key)
            let laterReason = await Self.corruption { try await later.ensureLoaded() }
            #expect(laterReason?.contains("leaf 4") == true, "\(laterReason ?? "accepted")")
        }
    }

    @Test func aCheckpointWhoseSaveFailedIsSavedByTheNextCall() async throws {
        try await Self.withStore { store, path in
            let audit = Self.service(store)
            try await audit.ensureLoaded()
            _ = try await store.appendAudit((0..<3).map { Self.record($0) })
            try await Self.sql(path, "ALTER TABLE audit_checkpoint RENAME TO audit_checkpoint_away")
            await #expect(throws: (any Error).self) { _ = try await audit.checkpoint() }
            try await Self.sql(path, "ALTER TABLE audit_checkpoint_away RENAME TO audit_checkpoint")
            #expect(try await audit.checkpoint().treeSize == 3)
            let stored = try await store.latestAuditCheckpoint()
            #expect(stored?.treeSize == 3, "the checkpoint is saved once the store answers again")
        }
    }

    /// `/ready` answers 503 until the first load succeeded: here it fails on a database
    /// error (the leaves' table is away), which is no corruption and is tried again.
    @Test func readyWaitsForTheFirstSuccessfulLoad() async throws {
        let folder = try makeTemporaryFolder("audit-ready")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("parley.sqlite").path
        var options = TestServer.Options(databasePath: path)
        options.auditKey = Curve25519.Signing.PrivateKey()
        try await TestServer.with(options: options) { server in
            let buyer = try await server.client("buyer1", .buyer)
            _ = try await buyer.createThread(message: "hola")
        }
        try await Self.sql(path, "ALTER TABLE audit_leaves RENAME TO audit_leaves_away")
        try await TestServer.with(options: options) { server in
            let anonymous = server.anonymous()
            let refused = try await anonymous.raw(.GET, "/ready")
            #expect(refused.status == 503)
            #expect(refused.error?.error.code == "unavailable", "a database error, not corruption")
            try await Self.sql(path, "ALTER TABLE audit_leaves_away RENAME TO audit_leaves")
            #expect(try await anonymous.raw(.GET, "/ready").status == 200, "the load is tried again and succeeds")
            let agent = try await server.client("agent1", .support)
            #expect(try await agent.raw(.GET, "/api/audit/checkpoint").status == 200)
        }
    }

    /// Whether `proof` shows leaf `index` of `leaves` in the tree of `leaves.count` with `root`.
    static func includes(_ proof: [AuditHash], leaves: [StoredAuditLeaf], index: Int, root: AuditHash) -> Bool {
        guard index < leaves.count else { return false }
        return MerkleProofVerifier.verifyInclusion(
            index: Int64(index), treeSize: Int64(leaves.count), leafHash: .leaf(text: leaves[index].text), proof: proof, root: root)
    }

    @Test func outOfRangeProofsAre400sNamingTheField() async throws {
        try await Self.withStore { store in
            let audit = Self.service(store)
            _ = try await store.appendAudit((0..<3).map { Self.record($0) })
            await #expect(throws: ParleyError.invalid(field: "index", reason: "must be between 0 and treeSize - 1 (2)")) {
                try await audit.inclusionProof(index: 3, treeSize: 3)
            }
            await #expect(throws: ParleyError.self) { try await audit.inclusionProof(index: 0, treeSize: 4) }
            await #expect(throws: ParleyError.invalid(field: "from", reason: "must be between 1 and to (2)")) {
                try await audit.consistencyProof(from: 3, to: 2)
            }
            let same = try await audit.consistencyProof(from: 3, to: 3)
            #expect(same.isEmpty)
        }
    }
}
