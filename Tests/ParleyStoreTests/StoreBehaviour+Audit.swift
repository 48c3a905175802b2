import Foundation
import ParleyCore
import Testing

/// The audit log's storage (`AuditStore`), the same on both stores.
extension StoreBehaviour {
    private static func auditStore(_ store: any ConversationStore) throws -> any AuditStore {
        try #require(store as? any AuditStore)
    }

    /// A record whose text needs every kind of escaping, and whose details hold an
    /// `"index"` of their own (the PostgreSQL store cuts the leaf where its index goes).
    static func awkwardAuditRecord(conversationID: String?, at offset: Int64 = 0) -> AuditRecord {
        AuditRecord(
            time: Make.time(offset), actor: "agent\"1\\ñ", role: "support", action: .statusChanged,
            conversationID: conversationID,
            details: [
                "index": 0, "from": "open", "to": "closed", "note": "tab\there\nline\u{01} 😀 ünïcödé",
                "nested": .object(["index": 1, "list": .array([true, false, .null, -5])]),
            ])
    }

    static func auditIndexesAreGapFreeFromZeroAndLeavesRoundTripExactly(_ store: any ConversationStore) async throws {
        let audit = try auditStore(store)
        #expect(try await audit.auditTreeSize() == 0)
        #expect(try await audit.auditLeaves(from: 0, limit: 100, conversationID: nil).isEmpty)
        #expect(try await audit.appendAudit([]) == [])
        let records = [
            awkwardAuditRecord(conversationID: "c_one"),
            AuditRecord(
                time: Make.time(1), actor: "backend", role: "service", action: .webhookCreated, conversationID: nil,
                details: ["webhookId": "wh_1"]),
            awkwardAuditRecord(conversationID: "c_two", at: 2),
        ]
        #expect(try await audit.appendAudit(records) == [0, 1, 2])
        let more = [awkwardAuditRecord(conversationID: "c_one", at: 3), awkwardAuditRecord(conversationID: nil, at: 4)]
        #expect(try await audit.appendAudit(more) == [3, 4])
        #expect(try await audit.auditTreeSize() == 5)

        let all = records + more
        let leaves = try await audit.auditLeaves(from: 0, limit: 100, conversationID: nil)
        #expect(leaves.map(\.index) == [0, 1, 2, 3, 4])
        for leaf in leaves {
            // Byte for byte what was hashed.
            #expect(Array(leaf.text.utf8) == Array(AuditLeaf.canonicalJSON(index: leaf.index, record: all[Int(leaf.index)]).utf8))
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(leaf.text.utf8)) as? [String: Any])
            #expect((parsed["index"] as? NSNumber)?.int64Value == leaf.index)
        }
        #expect(try await audit.auditLeaves(from: 3, limit: 1, conversationID: nil).map(\.index) == [3])
        #expect(try await audit.auditLeaves(from: 5, limit: 10, conversationID: nil).isEmpty)
        #expect(try await audit.auditLeaves(from: 0, limit: 0, conversationID: nil).isEmpty)
        #expect(try await audit.auditLeaves(from: 0, limit: 100, conversationID: "c_one").map(\.index) == [0, 3])
        #expect(try await audit.auditLeaves(from: 1, limit: 100, conversationID: "c_one").map(\.index) == [3])
        #expect(try await audit.auditLeaves(from: 0, limit: 100, conversationID: "c_two").map(\.index) == [2])
        #expect(try await audit.auditLeaves(from: 0, limit: 100, conversationID: "c_none").isEmpty)
    }

    static func anAuditCheckpointIsReplacedOnlyByALargerOne(_ store: any ConversationStore) async throws {
        let audit = try auditStore(store)
        #expect(try await audit.latestAuditCheckpoint() == nil)
        func checkpoint(_ size: Int64, _ byte: UInt8) -> StoredAuditCheckpoint {
            StoredAuditCheckpoint(
                treeSize: size, rootHash: [UInt8](repeating: byte, count: 32) + [], timestamp: "2026-11-30T22:00:0\(byte % 10)Z",
                signature: (0..<64).map { UInt8(truncatingIfNeeded: Int($0) &+ Int(byte)) })
        }
        let first = checkpoint(5, 0xff)
        try await audit.saveAuditCheckpoint(first)
        #expect(try await audit.latestAuditCheckpoint() == first)
        try await audit.saveAuditCheckpoint(checkpoint(4, 1))
        try await audit.saveAuditCheckpoint(checkpoint(5, 2))
        #expect(try await audit.latestAuditCheckpoint() == first)
        let larger = checkpoint(9, 0)
        try await audit.saveAuditCheckpoint(larger)
        #expect(try await audit.latestAuditCheckpoint() == larger)
    }

    static func concurrentAuditAppendsAreGapFreeAndEachGetsItsOwnLeaves(_ store: any ConversationStore) async throws {
        try await concurrentAuditAppends(through: [try auditStore(store)])
    }

    /// The conversation writes append their leaves in their own transaction: a create
    /// that creates, a change that took effect; nothing for a repeat, a no-op or a ticket.
    static func conversationWritesAppendTheirLeavesOnlyWhenTheyChangeSomething(_ store: any ConversationStore) async throws {
        let audit = try auditStore(store)
        var request = Make.conversation(productID: "p1")
        request.auditActor = AuditActor(id: "buyer1", role: "buyer")
        let id = try await store.createConversation(request).conversation.conversationID
        _ = try await store.createConversation(Make.conversation(productID: "p1"))  // the same thread: no leaf
        let agent = AuditActor(id: "agent1", role: "support")
        _ = try await store.updateConversation(id: id, change: .status(.closed), now: Make.time(1), actor: agent)
        _ = try await store.updateConversation(id: id, change: .status(.closed), now: Make.time(2), actor: agent)
        _ = try await store.updateConversation(id: id, change: .assignee("agent1"), now: Make.time(3), actor: agent)
        _ = try await store.updateConversation(id: id, change: .labels(["a", "b"]), now: Make.time(4), actor: agent)
        let escalation = Escalation(at: Make.time(5), reason: .askedForHuman, messageID: nil)
        _ = try await store.updateConversation(id: id, change: .escalate(escalation), now: Make.time(5))
        _ = try await store.updateConversation(
            id: id, change: .escalate(Escalation(at: Make.time(6), reason: .negativeSentiment, messageID: nil)), now: Make.time(6))
        let ticket = SupportTicket(state: .requested, requestedAt: Make.time(7), requestedBy: "buyer1", reason: nil)
        _ = try await store.updateConversation(id: id, change: .ticket(ticket), now: Make.time(7), actor: agent)

        let leaves = try await audit.auditLeaves(from: 0, limit: 100, conversationID: id)
        let before = try #require(try await store.conversation(id: id))
        var created = Conversation(
            conversationID: id, participants: before.participants, productID: "p1", orderID: "o1", subject: nil,
            status: .open, labels: [], priority: .medium, assignedTo: nil, createdAt: Make.time(), lastActivityAt: Make.time(),
            lastSeq: 0)
        var expected = [ConversationAudit.created(request)]
        for (change, actor, time) in [
            (ConversationChange.status(.closed), agent, Make.time(1)), (.assignee("agent1"), agent, Make.time(3)),
            (.labels(["a", "b"]), agent, Make.time(4)), (.escalate(escalation), AuditActor.system, Make.time(5)),
        ] {
            expected.append(try #require(ConversationAudit.change(change, to: created, by: actor, at: time)))
            switch change {
            case .status(let status): created.status = status
            case .assignee(let assignee): created.assignedTo = assignee
            case .labels(let labels): created.labels = labels
            default: break
            }
        }
        #expect(leaves.map(\.index) == [0, 1, 2, 3, 4])
        #expect(leaves.map(\.text) == expected.enumerated().map { AuditLeaf.canonicalJSON(index: Int64($0), record: $1) })
        #expect(leaves[0].text.contains(#""participants":[{"role":"buyer","userId":"buyer1"},{"role":"seller","userId":"seller1"}]"#))
        #expect(leaves[1].text.contains(#""details":{"from":"open","to":"closed"}"#))
        #expect(leaves[4].text.contains(#""actor":"parley""#) && leaves[4].text.contains(#""role":"system""#))
        #expect(try await audit.auditTreeSize() == 5)
    }

    /// A write the database refuses after its leaf was written takes the leaf with it:
    /// the log stays gap-free, the failing write's batch-mates keep theirs.
    static func aRefusedWriteLeavesNoLeafAndNoGap(_ store: any ConversationStore) async throws {
        let audit = try auditStore(store)
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<30 {
                group.addTask {
                    // The same participant twice breaks the participants' primary key inside
                    // the database, after the conversation row (and its leaf) went in.
                    let people: [(String, ParticipantRole)] =
                        index == 15 ? [("buyer1", .buyer), ("buyer1", .seller)] : [("buyer1", .buyer), ("seller\(index)", .seller)]
                    do {
                        _ = try await store.createConversation(Make.conversation(people, orderID: "o\(index)"))
                        return true
                    } catch {
                        return false
                    }
                }
            }
            var results: [Bool] = []
            for await result in group { results.append(result) }
            return results
        }
        #expect(results.count(where: { !$0 }) == 1, "only the refused create fails")
        let leaves = try await audit.auditLeaves(from: 0, limit: 100, conversationID: nil)
        #expect(leaves.map(\.index) == Array(0..<29))
        #expect(leaves.allSatisfy { $0.text.contains(#""action":"conversation.created""#) && !$0.text.contains(#""userId":"buyer1"},{"role":"seller","userId":"buyer1""#) })
        #expect(try await audit.auditTreeSize() == 29)
    }

    /// The leaf a webhook or FAQ change passes to its store write: each of its own, so a
    /// leaf names which write appended it.
    private static func changeRecord(_ action: AuditAction, _ id: String, at offset: Int64, conversationID: String? = nil)
        -> AuditRecord
    {
        AuditRecord(
            time: Make.time(offset), actor: "backend", role: "service", action: action, conversationID: conversationID,
            details: [action.rawValue.hasPrefix("faq.") ? "faqId" : "webhookId": .string(id)])
    }

    private static func changeWebhook(_ id: String, url: String? = nil) -> Webhook {
        Webhook(
            webhookID: id, url: url ?? "https://hooks.example.com/\(id)", events: [.messageCreated], secret: "whsec_" + id,
            createdBy: "backend", createdAt: Make.time())
    }

    private static func changeFAQ(_ id: String, question: String = "¿Envían a Francia?", answer: String = "Sí") -> FAQEntry {
        FAQEntry(
            faqID: id, scope: .global, ownerID: nil, language: nil, question: question, alternatives: [], answer: answer,
            enabled: true, createdAt: Make.time(), updatedAt: Make.time())
    }

    /// Webhook and FAQ changes append exactly the leaf they are given, with the change
    /// (the store's own write): one leaf per save, rotation and removal, in order, and
    /// none for a rotation or removal of something unknown.
    static func webhookAndFAQChangesAppendExactlyTheirLeafWithTheChange(_ store: any ConversationStore) async throws {
        let audit = try auditStore(store)
        let notify = try #require(store as? any NotificationStore)
        let assist = try #require(store as? any AssistStore)
        var expected: [AuditRecord] = []
        func expectLog(_ comment: Comment) async throws {
            let leaves = try await audit.auditLeaves(from: 0, limit: 100, conversationID: nil)
            #expect(
                leaves.map(\.text) == expected.enumerated().map { AuditLeaf.canonicalJSON(index: Int64($0), record: $1) },
                comment)
            #expect(try await audit.auditTreeSize() == Int64(expected.count), comment)
        }

        let created = changeRecord(.webhookCreated, "wh_1", at: 1)
        try await notify.saveWebhook(changeWebhook("wh_1"), audit: [created])
        expected.append(created)
        #expect(try await notify.webhook(id: "wh_1") != nil)
        try await expectLog("created")

        let rotated = changeRecord(.webhookRotated, "wh_1", at: 2)
        let after = try await notify.rotateWebhookSecret(
            id: "wh_1", newSecret: "whsec_new", previousUntil: Make.time(100), audit: [rotated])
        #expect(after?.secret == "whsec_new")
        expected.append(rotated)
        #expect(
            try await notify.rotateWebhookSecret(
                id: "wh_missing", newSecret: "x", previousUntil: Make.time(), audit: [changeRecord(.webhookRotated, "wh_missing", at: 3)])
                == nil)
        try await expectLog("rotated; the unknown one appends nothing")

        let deleted = changeRecord(.webhookDeleted, "wh_1", at: 4)
        #expect(try await notify.deleteWebhook(id: "wh_1", audit: [deleted]))
        expected.append(deleted)
        #expect(!(try await notify.deleteWebhook(id: "wh_1", audit: [changeRecord(.webhookDeleted, "wh_1", at: 5)])))
        #expect(try await notify.webhook(id: "wh_1") == nil)
        try await expectLog("deleted; the second delete appends nothing")

        let faqCreated = changeRecord(.faqCreated, "f_1", at: 6)
        try await assist.saveFAQEntry(changeFAQ("f_1"), audit: [faqCreated])
        expected.append(faqCreated)
        let faqUpdated = changeRecord(.faqUpdated, "f_1", at: 7)
        try await assist.saveFAQEntry(changeFAQ("f_1", answer: "Sí, en 5 días"), audit: [faqUpdated])
        expected.append(faqUpdated)
        #expect(try await assist.faqEntry(id: "f_1")?.answer == "Sí, en 5 días")
        try await expectLog("FAQ created and updated")

        let faqDeleted = changeRecord(.faqDeleted, "f_1", at: 8)
        #expect(try await assist.deleteFAQEntry(id: "f_1", audit: [faqDeleted]))
        expected.append(faqDeleted)
        #expect(!(try await assist.deleteFAQEntry(id: "f_1", audit: [changeRecord(.faqDeleted, "f_1", at: 9)])))
        #expect(try await assist.faqEntry(id: "f_1") == nil)
        try await expectLog("FAQ deleted; the second delete appends nothing")

        // The writes without a record (tests, tools; a receiver's 410) append nothing.
        try await notify.saveWebhook(changeWebhook("wh_quiet"))
        try await notify.disableWebhook(id: "wh_quiet", at: Make.time(10))
        try await assist.saveFAQEntry(changeFAQ("f_quiet"))
        try await expectLog("writes with no record")
    }

    /// A change and its leaf commit together or not at all: a change the database
    /// refuses appends no leaf, and a leaf the database refuses undoes its change. The
    /// refusals are provoked with unique indexes added behind the store's back.
    static func aRefusedWebhookOrFAQChangeOrLeafLeavesNeither(
        _ store: any ConversationStore, _ raw: StoreKind.RawSQL
    ) async throws {
        let audit = try auditStore(store)
        let notify = try #require(store as? any NotificationStore)
        let assist = try #require(store as? any AssistStore)
        try await raw("CREATE UNIQUE INDEX test_one_webhook_per_url ON webhooks (url)")
        try await raw("CREATE UNIQUE INDEX test_one_faq_per_question ON faq_entries (question)")
        // Leaves without a conversation stay free; a second leaf naming "c_taken" is refused.
        try await raw("CREATE UNIQUE INDEX test_one_leaf_per_conversation ON audit_leaves (conversation_id)")

        let kept = [
            changeRecord(.webhookCreated, "wh_1", at: 1), changeRecord(.faqCreated, "f_1", at: 2),
            changeRecord(.webhookCreated, "wh_taken", at: 3, conversationID: "c_taken"),
        ]
        try await notify.saveWebhook(changeWebhook("wh_1", url: "https://hooks.example.com/same"), audit: [kept[0]])
        try await assist.saveFAQEntry(changeFAQ("f_1", question: "same"), audit: [kept[1]])
        try await notify.saveWebhook(changeWebhook("wh_taken"), audit: [kept[2]])

        // The change refused: no leaf.
        await #expect(throws: (any Error).self) {
            try await notify.saveWebhook(
                changeWebhook("wh_2", url: "https://hooks.example.com/same"), audit: [changeRecord(.webhookCreated, "wh_2", at: 4)])
        }
        await #expect(throws: (any Error).self) {
            try await assist.saveFAQEntry(changeFAQ("f_2", question: "same"), audit: [changeRecord(.faqCreated, "f_2", at: 5)])
        }
        // The leaf refused: no change.
        let refused = { (action: AuditAction, id: String) in changeRecord(action, id, at: 6, conversationID: "c_taken") }
        await #expect(throws: (any Error).self) {
            try await notify.saveWebhook(changeWebhook("wh_3"), audit: [refused(.webhookCreated, "wh_3")])
        }
        await #expect(throws: (any Error).self) {
            try await notify.rotateWebhookSecret(
                id: "wh_1", newSecret: "whsec_new", previousUntil: Make.time(100), audit: [refused(.webhookRotated, "wh_1")])
        }
        await #expect(throws: (any Error).self) {
            try await notify.deleteWebhook(id: "wh_1", audit: [refused(.webhookDeleted, "wh_1")])
        }
        await #expect(throws: (any Error).self) {
            try await assist.saveFAQEntry(changeFAQ("f_3"), audit: [refused(.faqCreated, "f_3")])
        }
        await #expect(throws: (any Error).self) {
            try await assist.deleteFAQEntry(id: "f_1", audit: [refused(.faqDeleted, "f_1")])
        }

        #expect(try await notify.webhooks().map(\.webhookID) == ["wh_1", "wh_taken"])
        #expect(try await notify.webhook(id: "wh_1")?.secret == "whsec_wh_1")
        #expect(try await assist.faqEntries(ownerID: nil).map(\.faqID) == ["f_1"])
        let leaves = try await audit.auditLeaves(from: 0, limit: 100, conversationID: nil)
        #expect(leaves.map(\.text) == kept.enumerated().map { AuditLeaf.canonicalJSON(index: Int64($0), record: $1) })
        // No gap either: the next leaf takes the next index.
        let next = changeRecord(.webhookRotated, "wh_1", at: 7)
        _ = try await notify.rotateWebhookSecret(id: "wh_1", newSecret: "whsec_new", previousUntil: Make.time(100), audit: [next])
        #expect(try await audit.auditLeaves(from: 3, limit: 10, conversationID: nil).map(\.text) == [
            AuditLeaf.canonicalJSON(index: 3, record: next)
        ])
    }

    /// Appends from every store in `stores` at once (one or more nodes on one database):
    /// the log ends up gap-free, each leaf's `"index"` is its index, and each append got
    /// back the indexes of its own records.
    static func concurrentAuditAppends(through stores: [any AuditStore]) async throws {
        let appends = 60
        let returned = try await withThrowingTaskGroup(of: (Int, [Int64]).self) { group in
            for append in 0..<appends {
                let store = stores[append % stores.count]
                let records = (0...(append % 3)).map { part in
                    AuditRecord(
                        time: Make.time(Int64(append)), actor: "a\(append)-\(part)", role: "support", action: .supportRead,
                        conversationID: "c_\(append % 4)")
                }
                group.addTask { (append, try await store.appendAudit(records)) }
            }
            var all: [Int: [Int64]] = [:]
            for try await (append, indexes) in group { all[append] = indexes }
            return all
        }
        let total = (0..<appends).reduce(0) { $0 + 1 + $1 % 3 }
        #expect(try await stores[0].auditTreeSize() == Int64(total))
        let leaves = try await stores[stores.count - 1].auditLeaves(from: 0, limit: 1_000, conversationID: nil)
        #expect(leaves.map(\.index) == (0..<Int64(total)).map { $0 })
        var actorAt: [Int64: String] = [:]
        for leaf in leaves {
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(leaf.text.utf8)) as? [String: Any])
            #expect((parsed["index"] as? NSNumber)?.int64Value == leaf.index)
            actorAt[leaf.index] = parsed["actor"] as? String
        }
        for (append, indexes) in returned {
            // Each append's records are consecutive and in order.
            #expect(indexes.count == 1 + append % 3)
            #expect(indexes == Array((indexes.first ?? 0)..<((indexes.first ?? 0) + Int64(indexes.count))))
            for (part, index) in indexes.enumerated() { #expect(actorAt[index] == "a\(append)-\(part)") }
        }
    }
}
