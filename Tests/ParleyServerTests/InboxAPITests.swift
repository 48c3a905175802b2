import Foundation
import ParleyClient
import ParleyCore
import Testing

/// The seller's and the support desk's inbox: filters combined, and who hears of changes.
@Suite struct InboxAPITests {
    @Test func filtersCombineLabelPriorityAssigneeAndStatus() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let seller = try await server.client("seller1", .seller)
            let support = try await server.client("agent7", .support)
            var ids: [String] = []
            for index in 0..<4 {
                let buyer = try await server.client("buyer\(index)", .buyer)
                let created = try await buyer.createConversation(
                    .init(
                        participants: [.init(userId: "buyer\(index)", role: .buyer), .init(userId: "seller1", role: .seller)],
                        orderId: "o\(index)", labels: index < 2 ? ["envio"] : ["factura"], priority: index.isMultiple(of: 2) ? .high : .low))
                ids.append(created.conversation.conversationID)
            }
            _ = try await support.setAssignee(ids[0], "agent7")
            _ = try await seller.setStatus(ids[1], .pending)
            func listed(_ query: [String: String], as client: ParleyRESTClient) async throws -> Set<String> {
                Set(try await client.conversations(query: query).conversations.map(\.conversation.conversationID))
            }
            #expect(try await listed(["label": "envio"], as: seller) == [ids[0], ids[1]])
            #expect(try await listed(["priority": "high"], as: seller) == [ids[0], ids[2]])
            #expect(try await listed(["label": "envio", "priority": "high"], as: seller) == [ids[0]])
            #expect(try await listed(["assignedTo": "agent7"], as: support) == [ids[0]])
            #expect(try await listed(["assignedTo": "none", "label": "envio"], as: support) == [ids[1]])
            #expect(try await listed(["status": "pending", "label": "envio"], as: seller) == [ids[1]])
            #expect(try await listed(["status": "open", "priority": "low", "label": "factura"], as: seller) == [ids[3]])
            await expectStatus(400) { _ = try await seller.conversations(query: ["priority": "urgent"]) }
            await expectStatus(400) { _ = try await seller.conversations(query: ["archived": "maybe"]) }
        }
    }

    @Test func theAssigneeHearsOfChangesAndTheFormerAssigneeOfItsRemoval() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let support = try await server.client("lead", .support)
            let id = try await buyer.createThread().conversation.conversationID
            // Only agents who have signed in with a support token can be assigned.
            for agent in ["agent7", "agent8"] { _ = try await server.client(agent, .support).conversations() }
            _ = try await server.realtime("agent7", .support) { agent in
                try await agent.send(.ping(id: nil))
                _ = try await agent.next { if case .pong = $0 { true } else { false } }
                _ = try await support.setAssignee(id, "agent7")
                let assigned = try await agent.next { if case .event(.conversationUpdated) = $0 { true } else { false } }
                guard case .event(.conversationUpdated(let view)) = assigned else { return }
                #expect(view.conversation.assignedTo == "agent7")
                // As the assignee it now gets the conversation's messages too.
                _ = try await buyer.send(id, .init(content: "¿Me ayudan?"))
                let received = try await agent.next { $0.newMessage != nil }.newMessage
                #expect(received?.content == "¿Me ayudan?")
                _ = try await support.setAssignee(id, "agent8")
                let removed = try await agent.next { if case .event(.conversationUpdated) = $0 { true } else { false } }
                guard case .event(.conversationUpdated(let after)) = removed else { return }
                #expect(after.conversation.assignedTo == "agent8")
            }
        }
    }

    @Test func unreadCountsAreEachUsersOwn() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let id = try await buyer.createThread(message: "uno").conversation.conversationID
            _ = try await buyer.send(id, .init(content: "dos"))
            _ = try await seller.send(id, .init(content: "respuesta"))
            #expect(try await buyer.conversations().conversations.first?.unreadCount == 1)
            #expect(try await seller.conversations().conversations.first?.unreadCount == 0)
            _ = try await buyer.markRead(id, seq: 3)
            #expect(try await buyer.conversations().conversations.first?.unreadCount == 0)
        }
    }
}
