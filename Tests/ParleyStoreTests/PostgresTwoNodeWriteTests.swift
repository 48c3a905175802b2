import Foundation
import Logging
import ParleyCore
import ParleyPostgres
import ParleyTestSupport
import Synchronization
import Testing

/// Two stores on one database ("two nodes") whose writers append at once, each folding
/// many sends into a batch: nothing acknowledged is lost, positions are gap-free and
/// follow commit order (a reader resuming from its cursor while they write misses
/// nothing), each conversation's seq runs 1…n, and a repeated client message id returns
/// the first message on either node.
@Suite(
    .enabled(
        if: ThrowawayPostgres.serverURL != nil, "needs PARLEY_TEST_POSTGRES_URL (scripts/test.sh starts a PostgreSQL)"))
struct PostgresTwoNodeWriteTests {
    /// Conversations, senders per conversation and node, messages per sender: enough
    /// concurrent sends that batches hold several messages of one conversation and
    /// batches of both nodes contend for the same conversations.
    static let conversations = 6
    static let sendersPerNode = 3
    static let messagesPerSender = 15

    @Test func concurrentBatchesOfTwoNodesKeepPositionsInCommitOrderAndLoseNothing() async throws {
        try await withPostgresNodes(2) { nodes in try await Self.appendFromBothNodes(nodes) }
    }

    private static func appendFromBothNodes(_ nodes: [PostgresConversationStore]) async throws {
        let start = try await nodes[0].latestPosition()
        var ids: [String] = []
        for index in 0..<conversations {
            ids.append(
                try await nodes[index % 2].createConversation(
                    Make.conversation([("buyer\(index)", .buyer), ("seller1", .seller)], orderID: "o\(index)")
                ).conversation.conversationID)
        }
        let writing = Atomic<Bool>(true)
        // A reader on the second node resumes from its cursor while both nodes write: a
        // position handed out before a later commit would be skipped for good.
        async let read: [PositionedMessage] = {
            var seen: [PositionedMessage] = []
            var cursor = start
            while true {
                let done = !writing.load(ordering: .acquiring)
                let page = try await nodes[1].messages(after: cursor, visibleTo: "seller1", limit: 50)
                seen += page
                cursor = page.last?.position ?? cursor
                if done && page.isEmpty { return seen }
            }
        }()
        let sent = try await withThrowingTaskGroup(of: [AppendMessageResult].self) { group in
            for node in nodes.indices {
                for (index, id) in ids.enumerated() {
                    for sender in 0..<sendersPerNode {
                        group.addTask {
                            let from = sender == 0 ? "seller1" : "buyer\(index)"
                            var results: [AppendMessageResult] = []
                            for number in 0..<messagesPerSender {
                                let clientID = "n\(node)-s\(sender)-\(number)"
                                let message = Make.message(id, from: from, "m \(clientID)", clientID: clientID)
                                results.append(try await nodes[node].appendMessage(message))
                                if number % 5 == 0 {
                                    // The same client message id again, through the other node.
                                    let again = try await nodes[1 - node].appendMessage(
                                        Make.message(id, from: from, "again", clientID: clientID))
                                    #expect(!again.created)
                                    #expect(again.message.messageID == results.last?.message.messageID)
                                    #expect(again.position == results.last?.position)
                                }
                            }
                            return results
                        }
                    }
                }
            }
            var all: [AppendMessageResult] = []
            for try await results in group { all += results }
            return all
        }
        writing.store(false, ordering: .releasing)
        let seen = try await read

        let total = nodes.count * conversations * sendersPerNode * messagesPerSender
        #expect(sent.count == total && sent.allSatisfy(\.created))
        // Gap-free: only messages take positions.
        #expect(Set(sent.map(\.position)) == Set((start + 1)...(start + Int64(total))))
        // The reader saw every acknowledged message once, in position order.
        #expect(seen.map(\.position) == Array((start + 1)...(start + Int64(total))))
        #expect(Set(seen.map(\.message.messageID)) == Set(sent.map(\.message.messageID)))
        for id in ids {
            let inConversation = seen.filter { $0.message.conversationID == id }
            #expect(inConversation.map(\.message.seq) == Array(1...Int64(inConversation.count)))
        }
        // Every send's own answer agrees with what was stored.
        let stored = Dictionary(uniqueKeysWithValues: seen.map { ($0.message.messageID, $0) })
        for result in sent {
            #expect(stored[result.message.messageID]?.position == result.position)
            #expect(stored[result.message.messageID]?.message.seq == result.message.seq)
        }
    }
}
