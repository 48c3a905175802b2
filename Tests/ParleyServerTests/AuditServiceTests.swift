import Crypto
import Foundation
import Logging
import ParleyAudit
import ParleyCore
import ParleySQLite
import ServiceLifecycle
import Testing

@testable import ParleyServer

/// `AuditService` on a real SQLite store: concurrent requests while leaves are appended,
/// two services (two nodes) on one store, and a checkpoint signed by another key.
@Suite struct AuditServiceTests {
    static func record(_ offset: Int64) -> AuditRecord {
        AuditRecord(
            time: Timestamp(millisecondsSince1970: 1_795_000_000_000 + offset), actor: "agent1", role: "support",
            action: .assigneeChanged, conversationID: "c\(offset % 5)", details: ["assignedTo": "agent1"])
    }

    /// Runs `body` with a fresh SQLite store whose writer runs.
    static func withStore(_ body: @Sendable @escaping (SQLiteConversationStore) async throws -> Void) async throws {
        let folder = try makeTemporaryFolder("audit-service")
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "audit-service-test")
        logger.logLevel = .warning
        let store = try SQLiteConversationStore(path: folder.appendingPathComponent("parley.sqlite").path, logger: logger)
        let group = ServiceGroup(services: [store], gracefulShutdownSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(store)
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

    @Test func aSecondNodeSeesTheFirstsLeavesAndAcceptsItsCheckpointSignedByAnotherKey() async throws {
        try await Self.withStore { store in
            let first = Self.service(store)
            _ = try await store.appendAudit((0..<7).map { Self.record($0) })
            let signedByFirst = try await first.checkpoint()
            #expect(signedByFirst.treeSize == 7)

            let second = Self.service(store)
            let seen = try await second.checkpoint()
            let reason = await second.corruptionReason
            #expect(reason == nil, "another key's checkpoint over the same tree is no corruption")
            #expect(seen.treeSize == 7 && seen.rootHash == signedByFirst.rootHash)
            #expect(seen.isSigned(by: second.publicKey))

            _ = try await store.appendAudit([Self.record(7)])
            let grown = try await first.checkpoint()
            #expect(grown.treeSize == 8, "the first node catches up with a leaf it did not write")
            let proof = try await second.inclusionProof(index: 7, treeSize: 8)
            let leaves = try await store.auditLeaves(from: 0, limit: 100, conversationID: nil)
            #expect(Self.includes(proof, leaves: leaves, index: 7, root: grown.rootHash))
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
