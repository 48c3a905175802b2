import Foundation
import Logging
import ParleyClient
import ParleyCore
import ParleySQLite
import Testing

/// The audit leaves that requests leave, through the real server: the conversation
/// writes (in their transaction), support reads, support downloads, webhook and FAQ
/// changes. The leaves are read from the node's database file, as `parley audit verify` would.
@Suite struct AuditHooksAPITests {
    /// The leaves of the database at `path`, parsed, in index order.
    static func leaves(at path: String, conversationID: String? = nil) async throws -> [[String: Any]] {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let store = try SQLiteConversationStore(path: path, logger: logger)
        let stored = try await store.auditLeaves(from: 0, limit: 1_000, conversationID: conversationID)
        return try stored.enumerated().map { offset, leaf in
            #expect(leaf.index == Int64(offset) || conversationID != nil)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(leaf.text.utf8)) as? [String: Any])
            #expect((object["index"] as? NSNumber)?.int64Value == leaf.index)
            return object
        }
    }

    static func summary(_ leaf: [String: Any]) -> String {
        "\(leaf["action"] as? String ?? "?") by \(leaf["actor"] as? String ?? "?")/\(leaf["role"] as? String ?? "?")"
    }

    static func details(_ leaf: [String: Any]) -> [String: Any] { leaf["details"] as? [String: Any] ?? [:] }

    /// A server on a SQLite file of its own, whose path the test reads the leaves from.
    static func withServerOnAFile(_ body: @Sendable (TestServer, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("db.sqlite").path
        var options = TestServer.Options()
        options.databasePath = path
        try await TestServer.with(options: options) { server in try await body(server, path) }
    }

    @Test func conversationChangesAndSupportReadsLeaveLeavesWithTheirActors() async throws {
        try await Self.withServerOnAFile { server, path in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let agent = try await server.client("agent1", .support)
            let created = try await buyer.createThread(message: "hola, ¿llegó?")
            let id = created.conversation.conversationID
            // Participants read: nothing to record.
            _ = try await buyer.conversation(id)
            _ = try await seller.messages(id)
            #expect(try await Self.leaves(at: path).map(Self.summary) == ["conversation.created by buyer1/buyer"])

            // An agent from outside reads it, twice and in both ways: one leaf.
            _ = try await agent.conversation(id)
            _ = try await agent.messages(id)
            _ = try await agent.conversation(id)
            _ = try await agent.setStatus(id, .closed)
            _ = try await agent.setStatus(id, .closed)  // no change, no leaf
            _ = try await agent.setAssignee(id, "agent1")
            _ = try await agent.setPriority(id, .low)
            _ = try await agent.setLabels(id, ["envío"])
            // Now the assignee: its reads are not recorded.
            _ = try await agent.messages(id)

            let leaves = try await Self.leaves(at: path)
            #expect(
                leaves.map(Self.summary) == [
                    "conversation.created by buyer1/buyer", "conversation.read_by_support by agent1/support",
                    "conversation.status by agent1/support", "conversation.assignee by agent1/support",
                    "conversation.priority by agent1/support", "conversation.labels by agent1/support",
                ])
            #expect(leaves.allSatisfy { $0["conversationId"] as? String == id })
            let createdDetails = Self.details(leaves[0])
            let participants = createdDetails["participants"] as? [[String: String]]
            #expect(participants == [["userId": "buyer1", "role": "buyer"], ["userId": "seller1", "role": "seller"]])
            #expect(createdDetails["orderId"] as? String == "o1")
            #expect(createdDetails["encrypted"] as? Bool == false)
            #expect(Self.details(leaves[2]) as? [String: String] == ["from": "open", "to": "closed"])
            let assignee = Self.details(leaves[3])
            #expect(assignee["from"] is NSNull && assignee["to"] as? String == "agent1")
            #expect(Self.details(leaves[4]) as? [String: String] == ["from": "medium", "to": "low"])
            #expect(Self.details(leaves[5])["to"] as? [String] == ["envío"])
            // No message text in any leaf.
            let text = try await Self.leaves(at: path).map { String(describing: $0) }.joined()
            #expect(!text.contains("llegó"))
            #expect(try await Self.leaves(at: path, conversationID: "c_other").isEmpty)
        }
    }

    @Test func supportDownloadsAndWebhookAndFAQChangesAreRecordedWithoutSecretsOrText() async throws {
        try await Self.withServerOnAFile { server, path in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let agent = try await server.client("agent1", .support)
            let backend = try await server.client("backend", .service)
            let id = try await buyer.createThread().conversation.conversationID
            let upload = try await buyer.upload(id, bytes: Data("the receipt\n".utf8), contentType: "text/plain", name: "r.txt")
            _ = try await buyer.send(id, .init(content: "el recibo", type: .file, attachmentId: upload.attachmentId))
            #expect(try await seller.download(upload.attachmentId).status == 200)  // a participant: no leaf
            #expect(try await agent.download(upload.attachmentId).status == 200)
            #expect(try await agent.download(upload.attachmentId, headers: [("Range", "bytes=0-2")]).status == 206)

            let webhook = try await backend.registerWebhook(url: "https://hooks.example.com/in?token=t0ps3cret", events: [.messageCreated])
            let rotated = try await backend.rotateWebhookSecret(webhook.webhookID)
            try await backend.deleteWebhook(webhook.webhookID)
            let entry = try await seller.createFAQEntry(.init(question: "¿Envíos a Francia?", answer: "Sí, a toda la UE."))
            _ = try await seller.updateFAQEntry(entry.faqID, .init(answer: "Sí, en 5 días."))
            try await seller.deleteFAQEntry(entry.faqID)

            let leaves = try await Self.leaves(at: path)
            #expect(
                leaves.map(Self.summary) == [
                    "conversation.created by buyer1/buyer", "attachment.downloaded by agent1/support",
                    "webhook.created by backend/service", "webhook.rotated by backend/service",
                    "webhook.deleted by backend/service", "faq.created by seller1/seller", "faq.updated by seller1/seller",
                    "faq.deleted by seller1/seller",
                ])
            #expect(Self.details(leaves[1])["attachmentId"] as? String == upload.attachmentId)
            #expect(leaves[1]["conversationId"] as? String == id)
            #expect(Self.details(leaves[2])["webhookId"] as? String == webhook.webhookID)
            #expect(leaves[5...].allSatisfy { Self.details($0)["faqId"] as? String == entry.faqID })
            let text = try await SQLiteConversationStore(path: path, logger: Logger(label: "test"))
                .auditLeaves(from: 0, limit: 100, conversationID: nil).map(\.text).joined()
            for secret in [webhook.secret, rotated.secret, "t0ps3cret", "Francia", "UE", "receipt"].compactMap({ $0 }) {
                #expect(!text.contains(secret), "\(secret) is in the log")
            }
        }
    }
}
