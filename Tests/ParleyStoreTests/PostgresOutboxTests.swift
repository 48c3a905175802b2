import Logging
import ParleyCore
import ParleyPostgres
import ParleyTestSupport
import Testing

/// The outbox on PostgreSQL with two nodes (two stores, each with its writer and pool) on
/// one database: what the shared suite cannot show with one store.
@Suite(
    .enabled(
        if: ThrowawayPostgres.serverURL != nil,
        "needs PARLEY_TEST_POSTGRES_URL (scripts/test.sh starts a PostgreSQL and sets it)"))
struct PostgresOutboxTests {
    /// Messages sent between the two nodes; each queues one webhook item.
    static let messages = 60
    /// Small leases, so the two nodes take turns many times while racing.
    static let leaseSize = 4

    @Test func twoNodesSendingAndLeasingAtOnceNeverShareAnItemAndMakeIdentifierShapedIDs() async throws {
        try await withPostgresNodes(2) { nodes in
            let (nodeA, nodeB) = (nodes[0], nodes[1])
            try await nodeA.saveWebhook(
                Webhook(
                    webhookID: "wh_1", url: "https://hooks.example.com/1", events: [.messageCreated],
                    secret: "whsec_1", createdBy: "backend", createdAt: Make.time()))
            let id = try await nodeA.createConversation(Make.conversation()).conversation.conversationID
            // Both nodes send at once: their writers contend for the position lock, and
            // each message's item is written in its statement.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<Self.messages {
                    let node = index.isMultiple(of: 2) ? nodeA : nodeB
                    group.addTask { _ = try await node.appendMessage(Make.message(id, "m\(index)", at: Int64(index))) }
                }
                try await group.waitForAll()
            }
            #expect(try await nodeB.outboxDepth() == OutboxDepth(pending: Self.messages, oldestDueAt: Make.time(0)))

            // Both drain at once, small leases at a time, until nothing is left.
            func drain(_ node: PostgresConversationStore, as owner: String) async throws -> [OutboxItem] {
                var taken: [OutboxItem] = []
                for _ in 0...Self.messages {
                    let lease = try await node.leaseOutbox(
                        kind: .webhook, dueBy: Make.time(1_000), now: Make.time(1_000), owner: owner,
                        until: Make.time(100_000), limit: Self.leaseSize)
                    if lease.isEmpty { break }
                    taken += lease
                }
                return taken
            }
            async let byA = drain(nodeA, as: "node-a")
            async let byB = drain(nodeB, as: "node-b")
            let (a, b) = try await (byA, byB)
            let idsA = Set(a.map(\.itemID))
            let idsB = Set(b.map(\.itemID))
            #expect(idsA.count == a.count && idsB.count == b.count)
            #expect(idsA.isDisjoint(with: idsB))
            #expect(a.count + b.count == Self.messages)
            #expect(Set((a + b).compactMap(\.seq)) == Set(1...Int64(Self.messages)))

            // The ids PostgreSQL made have `Identifier`'s shape, with the item's time.
            for item in a + b {
                let expected = Identifier.make(prefix: "evt", now: item.createdAt)
                #expect(item.itemID.count == expected.count)
                #expect(item.itemID.prefix(14) == expected.prefix(14))
                #expect(item.itemID.utf8.dropFirst(4).allSatisfy { "0123456789abcdefghjkmnpqrstvwxyz".utf8.contains($0) })
            }

            // Only the holder finishes an item, whichever node it asks.
            for item in a {
                #expect(!(try await nodeB.completeOutbox(itemID: item.itemID, owner: "node-b")))
                #expect(try await nodeB.completeOutbox(itemID: item.itemID, owner: "node-a"))
            }
            for item in b { #expect(try await nodeA.completeOutbox(itemID: item.itemID, owner: "node-b")) }
            #expect(try await nodeA.outboxDepth() == OutboxDepth(pending: 0, oldestDueAt: nil))
        }
    }
}
