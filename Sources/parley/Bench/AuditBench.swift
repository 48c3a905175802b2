import ArgumentParser
import Foundation
import Logging
import ParleyAudit
import ParleyCore
import ParleySQLite
import ServiceLifecycle

/// The audit log's costs, in process: growing a tree of N leaves and answering
/// inclusion and consistency proofs on it (what `/api/audit/proof/*` does), then on a
/// new SQLite file the cost of a leaf per write: a lone append, appends in batches and
/// conversation changes (each appends its leaf in its own transaction) beside message
/// sends (which append none).
struct AuditBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Audit tree growth and proof time at N leaves; leaf append cost per write on SQLite.")

    /// A tree of 10⁶ leaves holds ~64 MB of hashes; 10⁷ is the most worth asking for here.
    static let maxLeaves = 10_000_000

    @Option(help: "Leaves in the tree whose proofs are timed.")
    var leaves = 1_000_000

    @Option(help: "Proofs (and roots) of each kind to time.")
    var proofs = 1_000

    @Option(help: "Writes of each kind to time on the store (0: the tree only).")
    var writes = 2_000

    @Option(help: "Where to build the database (a new file).")
    var database = "./parley-audit-bench.sqlite"

    func validate() throws {
        guard (1...Self.maxLeaves).contains(leaves) else { throw ValidationError("--leaves: 1 to \(Self.maxLeaves)") }
        guard (1...100_000).contains(proofs) else { throw ValidationError("--proofs: 1 to 100000") }
        guard (0...100_000).contains(writes) else { throw ValidationError("--writes: 0 to 100000") }
        if writes > 0, FileManager.default.fileExists(atPath: database) {
            throw ValidationError("--database \(database) exists; give a new path")
        }
    }

    func run() async throws {
        try timeTree()
        if writes > 0 { try await timeStore() }
    }

    private func timeTree() throws {
        let clock = ContinuousClock()
        let record = AuditRecord(
            time: SystemWallClock().now(), actor: "agent7", role: "support", action: .assigneeChanged,
            conversationID: "c_bench", details: ["from": .null, "to": "agent7"])
        var tree = MerkleTree()
        // Leaves as the server hashes them: canonical JSON text of a typical record.
        let grow = clock.measure {
            for index in 0..<Int64(leaves) {
                tree.append(leafHash: .leaf(text: AuditLeaf.canonicalJSON(index: index, record: record)))
            }
        }
        var generator = SystemRandomNumberGenerator()
        let sizes = (0..<proofs).map { _ in Int64.random(in: max(1, Int64(leaves) / 2)...Int64(leaves), using: &generator) }
        var proofHashes = 0
        var verified = true
        let inclusion = try clock.measure {
            for size in sizes {
                let index = Int64.random(in: 0..<size, using: &generator)
                let proof = try tree.inclusionProof(index: index, treeSize: size)
                proofHashes += proof.count
                if size == sizes[0] {
                    let root = try tree.root(size: size)
                    verified = MerkleProofVerifier.verifyInclusion(
                        index: index, treeSize: size, leafHash: tree.leafHash(at: index), proof: proof, root: root)
                }
            }
        }
        let consistency = try clock.measure {
            for size in sizes {
                proofHashes += try tree.consistencyProof(from: Int64.random(in: 1...size, using: &generator), to: size).count
            }
        }
        let roots = try clock.measure { for size in sizes { _ = try tree.root(size: size) } }
        guard verified else { throw ValidationErrorText("an inclusion proof did not verify") }
        print("audit tree: \(leaves) leaves appended (canonical JSON + SHA-256) in \(Self.format(grow))")
        print(
            "  per proof at sizes \(leaves / 2)–\(leaves): inclusion \(Self.micro(inclusion, proofs)), consistency "
                + "\(Self.micro(consistency, proofs)), root \(Self.micro(roots, proofs)) (\(proofHashes) hashes in all)")
    }

    private func timeStore() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let store = try SQLiteConversationStore(path: database, logger: logger)
        let group = ServiceGroup(services: [store], gracefulShutdownSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            try await timeWrites(store)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    private func timeWrites(_ store: SQLiteConversationStore) async throws {
        let clock = ContinuousClock()
        let now = SystemWallClock().now()
        let participants = [Participant(userID: "buyer1", role: .buyer), Participant(userID: "seller1", role: .seller)]
        let conversation = try await store.createConversation(
            NewConversation(
                conversationID: Identifier.make(prefix: "c"),
                threadKey: ThreadKey.make(participantIDs: participants.map(\.userID), productID: nil, orderID: "o1"),
                participants: participants, productID: nil, orderID: "o1", subject: nil, labels: [], priority: .medium,
                now: now, firstMessage: nil)
        ).conversation.conversationID
        let actor = AuditActor(id: "agent7", role: "support")
        let sends = try await clock.measure {
            for _ in 0..<writes {
                _ = try await store.appendMessage(
                    NewMessage(
                        messageID: Identifier.make(prefix: "m"), conversationID: conversation, senderID: "buyer1",
                        content: "¿Cuándo llega mi pedido?", type: .text, clientMessageID: nil, now: now))
            }
        }
        let changes = try await clock.measure {
            for index in 0..<writes {
                _ = try await store.updateConversation(
                    id: conversation, change: .priority(index.isMultiple(of: 2) ? .high : .low), now: now, actor: actor)
            }
        }
        let single = try await clock.measure {
            for _ in 0..<writes {
                _ = try await store.appendAudit([actor.record(.supportRead, conversationID: conversation, at: now)])
            }
        }
        let batch = 100
        let batched = try await clock.measure {
            for _ in 0..<max(1, writes / batch) {
                _ = try await store.appendAudit(
                    Array(repeating: actor.record(.supportRead, conversationID: conversation, at: now), count: batch))
            }
        }
        let size = try await store.auditTreeSize()
        print("SQLite at \(database), one writer, \(writes) of each in a row (\(size) leaves at the end):")
        print("  message sends (no leaf)               \(Self.micro(sends, writes)) per write")
        print("  priority changes (one leaf each)      \(Self.micro(changes, writes)) per write")
        print("  lone appends (a transaction each)     \(Self.micro(single, writes)) per leaf")
        print("  appends in batches of \(batch)            \(Self.micro(batched, max(1, writes / batch) * batch)) per leaf")
    }

    private static func micro(_ duration: Duration, _ count: Int) -> String {
        String(format: "%.1f µs", duration.seconds * 1_000_000 / Double(count))
    }

    private static func format(_ duration: Duration) -> String { String(format: "%.2f s", duration.seconds) }
}
