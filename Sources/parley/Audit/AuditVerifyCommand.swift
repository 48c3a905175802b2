import ArgumentParser
import Crypto
import Foundation
import Logging
import ParleyAudit
import ParleyCore
import ParleyPostgres
import ParleySQLite
import ServiceLifecycle

/// `parley audit verify`: reads every leaf of a database's audit log and checks it — each
/// leaf canonical JSON whose `"index"` is its position, the tree against the checkpoint
/// stored in the database (root and signature), and a checkpoint copied earlier from
/// `GET /api/audit/checkpoint` against the log as it is now (the log must have grown from
/// it, not changed). Exits 0 with a summary, 1 naming the first bad leaf where one is to
/// blame.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify a database's audit log, its stored checkpoint and a checkpoint kept elsewhere.")

    /// Leaves read per query.
    static let pageSize = 5_000

    @Option(help: "sqlite://PATH or postgres://user:pass@host:port/db (PARLEY_DATABASE_URL).")
    var database: String?

    @Option(help: "A checkpoint saved from GET /api/audit/checkpoint (JSON): the log must be consistent with it.")
    var checkpoint: String?

    @Option(help: "The audit public key: standard base64 of its 32 bytes (GET /api/audit/key).")
    var key: String?

    @Option(
        name: .customLong("key-file"),
        help: "A file with the public key: its base64, the JSON of GET /api/audit/key, or the PEM private key. Default: the data folder's audit-key.pem when there is one.")
    var keyFile: String?

    @Option(help: "Also list this conversation's leaves, each proven by an inclusion proof against the checkpoint.")
    var conversation: String?

    func run() async throws {
        var logger = Logger(label: "parley-audit")
        logger.logLevel = .warning
        do {
            let summary = try await verify(logger: logger)
            print(summary)
        } catch let failure as AuditLogFailure {
            Self.printError("audit log FAILED" + (failure.index.map { " at leaf \($0)" } ?? "") + ": \(failure.reason)")
            throw ExitCode(1)
        } catch let error as ValidationErrorText {
            Self.printError("parley audit verify: \(error.description)")
            throw ExitCode(2)
        }
    }

    private func verify(logger: Logger) async throws -> String {
        let url = database ?? EnvironmentVariables.value("PARLEY_DATABASE_URL") ?? DatabaseLocation.defaultURL
        let location = try DatabaseLocation(url: url)
        let publicKey = try loadPublicKey(dataFolder: location.dataFolder)
        let given = try loadGivenCheckpoint()
        switch location {
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else { throw ValidationErrorText("--database: no file at \(path)") }
            let store = try SQLiteConversationStore(path: path, logger: logger)
            return try await verify(store: store, publicKey: publicKey, given: given, logger: logger)
        case .postgres(let url):
            let store = try await DatabaseLocation.openPostgres(url: url, logger: logger)
            return try await verify(store: store, publicKey: publicKey, given: given, logger: logger)
        }
    }

    /// Runs the store's service (its connection pool) while the log is read.
    private func verify(
        store: some Service, publicKey: Curve25519.Signing.PublicKey?, given: AuditCheckpoint?, logger: Logger
    ) async throws -> String {
        guard let audit = store as? any AuditStore else {
            throw ValidationErrorText("--database: this store keeps no audit log")
        }
        let group = ServiceGroup(services: [store], gracefulShutdownSignals: [], logger: logger)
        return try await withThrowingTaskGroup(of: String?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            tasks.addTask {
                // The store's service stops either way; a failure is rethrown below.
                do {
                    let summary = try await Self.check(audit, publicKey: publicKey, given: given, conversation: conversation)
                    await group.triggerGracefulShutdown()
                    return summary
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
            }
            var summary = ""
            for try await result in tasks {
                if let result { summary = result }
            }
            return summary
        }
    }

    /// Everything the command checks, in order; the summary, or the first failure thrown.
    static func check(
        _ store: any AuditStore, publicKey: Curve25519.Signing.PublicKey?, given: AuditCheckpoint?, conversation: String?
    ) async throws -> String {
        // The checkpoint first: every leaf it covers was committed before the leaves are read.
        let storedRow = try await store.latestAuditCheckpoint()
        var verifier = AuditLogVerifier(checksCanonicalJSON: true)
        var conversationLeaves: [StoredAuditLeaf] = []
        while true {
            let page = try await store.auditLeaves(from: verifier.tree.size, limit: pageSize, conversationID: nil)
            for leaf in page {
                try verifier.append(leaf)
                if let conversation, leafBelongs(leaf.text, to: conversation) { conversationLeaves.append(leaf) }
            }
            if page.count < pageSize { break }
        }
        let tree = verifier.tree
        var lines = ["audit log: \(tree.size) leaves, each canonical JSON at its index"]
        lines.append(publicKey == nil ? "signatures NOT checked: no --key or --key-file, and no audit-key.pem in the data folder" : "audit key: \(AuditKeyJSON(publicKey!).publicKey)")
        var anchor: AuditCheckpoint?
        if let storedRow {
            let stored: AuditCheckpoint
            do {
                stored = try AuditCheckpoint(stored: storedRow)
            } catch {
                throw AuditLogFailure(index: nil, reason: "the stored checkpoint is malformed: \(error.description)")
            }
            try verifier.check(stored, publicKey: publicKey)
            lines.append("stored checkpoint: size \(stored.treeSize) of \(stored.timestamp) matches the leaves\(publicKey == nil ? "" : ", signature valid")")
            anchor = stored
        } else {
            lines.append("no checkpoint stored yet")
        }
        if let given {
            try verifier.check(given, publicKey: publicKey)
            // The tree as it is now is an extension of the one the copy pins: the proof a
            // client would be given verifies.
            if tree.size > 0 {
                let proof = try tree.consistencyProof(from: max(given.treeSize, 1), to: tree.size)
                let consistent =
                    given.treeSize == 0
                    || MerkleProofVerifier.verifyConsistency(
                        firstSize: given.treeSize, secondSize: tree.size, firstRoot: given.rootHash, secondRoot: tree.root, proof: proof)
                guard consistent else { throw AuditLogFailure(index: nil, reason: "the log is not consistent with the given checkpoint") }
            }
            lines.append("given checkpoint: size \(given.treeSize) of \(given.timestamp) is consistent with the log\(publicKey == nil ? "" : ", signature valid")")
            if anchor == nil || given.treeSize > anchor!.treeSize { anchor = given }
        }
        if let conversation {
            lines.append("conversation \(conversation): \(conversationLeaves.count) leaves")
            for leaf in conversationLeaves {
                var proven = "after the checkpoint: not yet signed"
                if let anchor, leaf.index < anchor.treeSize {
                    let proof = try tree.inclusionProof(index: leaf.index, treeSize: anchor.treeSize)
                    let included = MerkleProofVerifier.verifyInclusion(
                        index: leaf.index, treeSize: anchor.treeSize, leafHash: .leaf(text: leaf.text), proof: proof,
                        root: anchor.rootHash)
                    guard included else { throw AuditLogFailure(index: leaf.index, reason: "leaf \(leaf.index)'s inclusion proof fails") }
                    proven = "included in the checkpoint of size \(anchor.treeSize)"
                }
                lines.append("  \(leaf.index) \(leaf.text) (\(proven))")
            }
        }
        lines.append("OK")
        return lines.joined(separator: "\n")
    }

    /// Whether a leaf's `conversationId` is `conversationID`.
    static func leafBelongs(_ text: String, to conversationID: String) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return false }
        return object["conversationId"] as? String == conversationID
    }

    private func loadPublicKey(dataFolder: URL) throws -> Curve25519.Signing.PublicKey? {
        var text: String?
        var source = "--key"
        if let key {
            text = key
        } else if let keyFile {
            source = "--key-file"
            guard let contents = try? String(contentsOfFile: keyFile, encoding: .utf8) else {
                throw ValidationErrorText("--key-file: cannot read \(keyFile)")
            }
            text = contents
        } else {
            let kept = dataFolder.appendingPathComponent(AuditSigningKey.fileName).path
            source = kept
            text = try? String(contentsOfFile: kept, encoding: .utf8)
        }
        guard let text else { return nil }
        do {
            return try AuditSigningKey.publicKey(from: text)
        } catch {
            throw ValidationErrorText("\(source): \(error.description)")
        }
    }

    private func loadGivenCheckpoint() throws -> AuditCheckpoint? {
        guard let checkpoint else { return nil }
        guard let data = FileManager.default.contents(atPath: checkpoint) else {
            throw ValidationErrorText("--checkpoint: cannot read \(checkpoint)")
        }
        do {
            return try AuditCheckpoint(json: JSONDecoder().decode(AuditCheckpointJSON.self, from: data))
        } catch let error as AuditFormatError {
            throw ValidationErrorText("--checkpoint: \(error.description)")
        } catch {
            throw ValidationErrorText("--checkpoint: expected the JSON of GET /api/audit/checkpoint")
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
