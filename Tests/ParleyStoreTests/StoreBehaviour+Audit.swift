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
