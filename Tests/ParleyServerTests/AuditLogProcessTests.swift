import Foundation
import ParleyClient
import ParleyCore
import ParleyServer
import ParleyTestSupport
import Testing

/// The audit log held against an independent RFC 9162 implementation
/// (`Tests/Audit/rfc9162.py`, written from the RFC and the contract) on a real
/// `parley serve`: every proof the API gives verifies there; a copy of the database with
/// one leaf edited, moved, dropped or truncated is refused by `parley audit verify`, by the
/// Python reading the file, and by the server's start-up check (`503 audit_log_corrupt`).
@Suite(.serialized) struct AuditLogProcessTests {
    static let secret = TestServer.secret
    /// Longest a command (`parley audit verify`, the Python) may run.
    static let commandTimeout: TimeInterval = 60

    /// Tests/Audit/rfc9162.py in this checkout.
    static var verifierScript: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Audit").appendingPathComponent("rfc9162.py").path
    }

    func client(_ port: Int, _ userID: String, _ role: Role) async throws -> ParleyRESTClient {
        let signer = try await TokenSigner(secret: Self.secret)
        return ParleyRESTClient(
            baseURL: "http://127.0.0.1:\(port)", token: try await signer.sign(userID: userID, role: role), timeout: .seconds(10))
    }

    /// Conversations with changes by their participants and by support; every checkpoint
    /// asked for right after a write includes it. Returns the checkpoint's JSON and the
    /// last conversation's id.
    func makeHistory(port: Int) async throws -> (checkpoint: Data, conversationID: String) {
        let buyer = try await client(port, "buyer1", .buyer)
        let agent = try await client(port, "agent1", .support)
        var lastSize: Int64 = -1
        var id = ""
        for order in 0..<3 {
            id = try await buyer.createThread(orderID: "o\(order)", message: "hola").conversation.conversationID
            let created = try await Self.checkpoint(buyer)
            #expect(created.treeSize > lastSize, "the conversation created just before is in the checkpoint")
            lastSize = created.treeSize
            _ = try await buyer.setPriority(id, .high)
            _ = try await buyer.setLabels(id, ["envio"])
            _ = try await agent.setAssignee(id, "agent1")
            _ = try await agent.setStatus(id, .closed)
        }
        let response = try await buyer.raw(.GET, "/api/audit/checkpoint")
        #expect(response.status == 200)
        return (response.body, id)
    }

    static func checkpoint(_ client: ParleyRESTClient) async throws -> AuditCheckpointBody {
        try JSONDecoder().decode(AuditCheckpointBody.self, from: try await client.raw(.GET, "/api/audit/checkpoint").body)
    }

    struct AuditCheckpointBody: Decodable {
        let treeSize: Int64
        let rootHash: String
    }

    @Test func everyProofTheAPIGivesVerifiesIndependently() async throws {
        let folder = try makeTemporaryFolder("audit-api")
        defer { try? FileManager.default.removeItem(at: folder) }
        let node = try ServerProcess(
            arguments: ["--jwt-secret", Self.secret, "--database", "sqlite://\(folder.path)/parley.sqlite"], workingDirectory: folder)
        let port = try node.waitUntilListening()
        _ = try await makeHistory(port: port)
        let agent = try await client(port, "agent1", .support)

        let result = try await Self.run(try PythonCounterpart.python(), [Self.verifierScript, "check-server", agent.baseURL, agent.token!])
        #expect(result.status == 0, "\(result.output)")
        let summary = try Self.lastJSONLine(result.output)
        let size = try #require(summary["treeSize"] as? Int)
        #expect(size >= 3, "at least the three conversations created")
        #expect(summary["inclusionProofs"] as? Int == size)
        #expect(summary["consistencyProofs"] as? Int == size)
        #expect((summary["actions"] as? [String])?.contains("conversation.created") == true)

        // Buyers may not read the entries; bad ranges are 400s naming the field.
        let buyer = try await client(port, "buyer1", .buyer)
        #expect(try await buyer.raw(.GET, "/api/audit/entries").status == 403)
        let outside = try await buyer.raw(.GET, "/api/audit/proof/inclusion?index=\(size)&treeSize=\(size)")
        #expect(outside.status == 400)
        #expect(outside.error?.error.message.hasPrefix("index") == true)
        #expect(try await buyer.raw(.GET, "/api/audit/proof/consistency?from=2&to=\(size + 1)").status == 400)
        #expect(try await agent.raw(.GET, "/api/audit/entries?limit=1001").status == 400)
        node.kill(SIGTERM)
        #expect(node.waitForExit() == 0)
    }

    @Test(arguments: ["edit", "reorder", "drop", "truncate"])
    func aTamperedCopyIsCaughtByVerifyByThePythonAndAtStart(kind: String) async throws {
        let folder = try makeTemporaryFolder("audit-tamper")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("parley.sqlite").path
        let node = try ServerProcess(arguments: ["--jwt-secret", Self.secret, "--database", "sqlite://\(database)"], workingDirectory: folder)
        let port = try node.waitUntilListening()
        let (checkpointJSON, conversationID) = try await makeHistory(port: port)
        let agent = try await client(port, "agent1", .support)
        let keyBody = try JSONSerialization.jsonObject(with: try await agent.raw(.GET, "/api/audit/key").body) as? [String: Any]
        let key = try #require(keyBody?["publicKey"] as? String)
        let size = try JSONDecoder().decode(AuditCheckpointBody.self, from: checkpointJSON).treeSize
        node.kill(SIGTERM)
        #expect(node.waitForExit() == 0)
        let checkpointFile = folder.appendingPathComponent("checkpoint.json")
        try checkpointJSON.write(to: checkpointFile)
        let keyFile = folder.appendingPathComponent("audit-key.pem").path
        let parley = ServerProcess.executable.path
        let python = try PythonCounterpart.python()

        // The untouched database passes all three: the checks below can fail.
        let verified = try await Self.run(
            parley, [
                "audit", "verify", "--database", "sqlite://\(database)", "--key", key, "--checkpoint", checkpointFile.path,
                "--conversation", conversationID,
            ])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.contains("given checkpoint: size \(size)"))
        // The conversation's creation is listed, proven included in the checkpoint.
        let creation = verified.output.split(separator: "\n").first { $0.contains(#""action":"conversation.created""#) }
        #expect(creation?.contains("included in the checkpoint of size \(size)") == true, "\(verified.output)")
        let pythonRead = try await Self.run(python, [Self.verifierScript, "check-sqlite", database, key])
        #expect(pythonRead.status == 0, "\(pythonRead.output)")

        let copyFolder = folder.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copyFolder, withIntermediateDirectories: true)
        let copy = copyFolder.appendingPathComponent("parley.sqlite").path
        try FileManager.default.copyItem(atPath: database, toPath: copy)
        let tampered = try await Self.run(python, [Self.verifierScript, "tamper", copy, kind])
        #expect(tampered.status == 0, "\(tampered.output)")

        let refused = try await Self.run(
            parley, ["audit", "verify", "--database", "sqlite://\(copy)", "--key", key, "--checkpoint", checkpointFile.path])
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.output.contains("audit log FAILED"))
        let named: [String: String] = ["reorder": "at leaf 1", "drop": "at leaf 2", "truncate": "at leaf \(size - 1)"]
        if let expected = named[kind] { #expect(refused.output.contains(expected), "\(refused.output)") }
        let pythonRefused = try await Self.run(python, [Self.verifierScript, "check-sqlite", copy, key])
        #expect(pythonRefused.status == 1, "\(pythonRefused.output)")

        // The server on the copy, with the same key: not ready, and the audit API refuses.
        let again = try ServerProcess(
            arguments: ["--jwt-secret", Self.secret, "--database", "sqlite://\(copy)", "--audit-key", keyFile], workingDirectory: copyFolder)
        let againPort = try again.waitUntilListening()
        let reader = try await client(againPort, "buyer1", .buyer)
        try await Self.eventually {
            let ready = try await reader.raw(.GET, "/ready")
            return ready.status == 503 && ready.error?.error.code == "audit_log_corrupt"
        }
        // Corruption is answered first: not a 403 for the buyer's role, nor a 400 for the range.
        let paths = [
            "/api/audit/checkpoint", "/api/audit/key", "/api/audit/proof/consistency?from=1&to=1", "/api/audit/entries",
            "/api/audit/entries?limit=5000", "/api/audit/proof/inclusion?index=-1&treeSize=1",
        ]
        for path in paths {
            let answer = try await reader.raw(.GET, path)
            #expect(answer.status == 503, "\(path)")
            #expect(answer.error?.error.code == "audit_log_corrupt", "\(path)")
        }
        // The rest of the node still serves.
        #expect(try await reader.raw(.GET, "/api/conversations").status == 200)
        again.kill(SIGTERM)
        #expect(again.waitForExit() == 0)
        #expect(again.log().contains("AUDIT LOG CORRUPT"))
    }

    /// Two nodes on one PostgreSQL database keep one log: each node's checkpoint includes
    /// what the other committed before the request, both sign with the key they share
    /// (made once in their common data folder), the Python verifies every proof of either,
    /// and `parley audit verify` reads the PostgreSQL log; an edited leaf there is refused
    /// by it and by a node started afterwards.
    @Test(.enabled(if: ThrowawayPostgres.serverURL != nil, "needs PARLEY_TEST_POSTGRES_URL (scripts/test.sh starts a PostgreSQL)"))
    func twoNodesOnPostgreSQLKeepOneLog() async throws {
        let folder = try makeTemporaryFolder("audit-nodes")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await ThrowawayPostgres.withDatabase { database in
            let arguments = ["--jwt-secret", Self.secret, "--database", database]
            let nodes = try (0..<2).map { _ in try ServerProcess(arguments: arguments, workingDirectory: folder) }
            let ports = try nodes.map { try $0.waitUntilListening() }
            let agents = try await ports.asyncMap { try await client($0, "agent1", .support) }
            let buyers = try await ports.asyncMap { try await client($0, "buyer1", .buyer) }
            for round in 0..<6 {
                let writer = round % 2
                let id = try await buyers[writer].createThread(orderID: "o\(round)").conversation.conversationID
                _ = try await agents[writer].setAssignee(id, "agent1")
                let committed = try await Self.entryCount(agents[writer])
                let other = try await Self.checkpoint(agents[1 - writer])
                #expect(other.treeSize >= committed, "round \(round): the other node's checkpoint has every committed leaf")
            }
            let keys = try await agents.asyncMap { String(decoding: try await $0.raw(.GET, "/api/audit/key").body, as: UTF8.self) }
            #expect(keys[0] == keys[1], "the nodes sign with one key")
            for agent in agents {
                let result = try await Self.run(try PythonCounterpart.python(), [Self.verifierScript, "check-server", agent.baseURL, agent.token!])
                #expect(result.status == 0, "\(result.output)")
            }
            for node in nodes {
                node.kill(SIGTERM)
                #expect(node.waitForExit() == 0)
            }
            let parley = ServerProcess.executable.path
            let verified = try await Self.run(parley, ["audit", "verify", "--database", database, "--key-file", "\(folder.path)/parley-data/audit-key.pem"])
            #expect(verified.status == 0, "\(verified.output)")
            #expect(verified.output.contains("signature valid"))

            try await ThrowawayPostgres.execute(
                #"UPDATE audit_leaves SET leaf = replace(leaf, '"actor":"agent1"', '"actor":"mallory"') WHERE idx = 1"#, inDatabase: database)
            let refused = try await Self.run(parley, ["audit", "verify", "--database", database])
            #expect(refused.status == 1, "\(refused.output)")
            let again = try ServerProcess(arguments: arguments, workingDirectory: folder)
            let reader = try await client(try again.waitUntilListening(), "buyer1", .buyer)
            try await Self.eventually {
                let answer = try await reader.raw(.GET, "/api/audit/checkpoint")
                return answer.status == 503 && answer.error?.error.code == "audit_log_corrupt"
            }
            again.kill(SIGTERM)
            #expect(again.waitForExit() == 0)
        }
    }

    static func entryCount(_ agent: ParleyRESTClient) async throws -> Int64 {
        let body = try JSONSerialization.jsonObject(with: try await agent.raw(.GET, "/api/audit/entries?limit=1000").body) as? [String: Any]
        return Int64((body?["entries"] as? [Any])?.count ?? -1)
    }

    /// Polls `condition` for up to 10 s (the start-up check runs beside the listener).
    static func eventually(_ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the condition did not hold within 10 s")
    }

    /// Runs a command to its end (killed after `commandTimeout`): its exit status and output.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try SpawnedProcess(executable: executable, arguments: arguments, captureOutput: true, mergeStandardError: true)
        let pid = process.pid
        let killer = Task {
            try await Task.sleep(for: .seconds(commandTimeout))
            kill(pid, SIGKILL)
        }
        defer { killer.cancel() }
        let handle = process.output!
        let output = try await offThePool { handle.readDataToEndOfFile() }
        let status = process.waitForExit(timeout: commandTimeout) ?? -1
        return (status, String(decoding: output, as: UTF8.self))
    }

    static func lastJSONLine(_ output: String) throws -> [String: Any] {
        let line = try #require(output.split(separator: "\n").last(where: { $0.hasPrefix("{") }), "no JSON in: \(output)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
