import Foundation
import ParleyClient
import ParleyCore
import Testing

/// Every endpoint of the contract through real HTTP against a live node.
@Suite struct ConversationAPITests {
    @Test func creatingAThreadAnswers201ThenTheSameThreadWith200() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let first = try await buyer.raw(
                .POST, "/api/conversations",
                body: Data(
                    #"{"participants":[{"userId":"buyer1","role":"buyer"},{"userId":"seller1","role":"seller"}],"orderId":"o1","labels":["envio"],"priority":"high"}"#
                        .utf8))
            #expect(first.status == 201)
            let created = try JSONDecoder().decode(ConversationView.self, from: first.body)
            #expect(created.conversation.status == .open)
            #expect(created.conversation.labels == ["envio"])
            #expect(created.conversation.priority == .high)
            #expect(created.unreadCount == 0 && !created.archived && created.lastMessage == nil)
            let seller = try await server.client("seller1", .seller)
            let again = try await seller.raw(
                .POST, "/api/conversations",
                body: Data(
                    #"{"participants":[{"userId":"seller1","role":"seller"},{"userId":"buyer1","role":"buyer"}],"orderId":"o1","message":{"content":"Ya lo envié"}}"#
                        .utf8))
            #expect(again.status == 200)
            let existing = try JSONDecoder().decode(ConversationView.self, from: again.body)
            #expect(existing.conversation.conversationID == created.conversation.conversationID)
            #expect(existing.lastMessage?.content == "Ya lo envié")
            #expect(existing.lastMessage?.seq == 1)
        }
    }

    @Test func theConversationJSONHasTheContractsFields() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let created = try await buyer.createThread(message: "¿Cuándo llega el envío?")
            let raw = try await buyer.raw(.GET, "/api/conversations/\(created.conversation.conversationID)")
            let json = try #require(try JSONSerialization.jsonObject(with: raw.body) as? [String: Any])
            for key in [
                "conversationId", "participants", "productId", "orderId", "subject", "status", "metadata", "createdAt",
                "lastMessage", "unreadCount", "archived",
            ] {
                #expect(json.keys.contains(key), "missing \(key)")
            }
            let metadata = try #require(json["metadata"] as? [String: Any])
            #expect(Set(metadata.keys) == ["labels", "priority", "assignedTo"])
            let participant = try #require((json["participants"] as? [[String: Any]])?.first)
            #expect(Set(participant.keys) == ["userId", "role", "lastSeen"])
            let message = try #require(json["lastMessage"] as? [String: Any])
            for key in ["messageId", "conversationId", "seq", "senderId", "content", "timestamp", "readBy", "type"] {
                #expect(message.keys.contains(key), "missing \(key)")
            }
            let timestamp = try #require(message["timestamp"] as? String)
            #expect(timestamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(timestamp)")
        }
    }

    @Test func createRefusesBadParticipantLists() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            await expectStatus(400) { _ = try await buyer.createThread(with: []) }
            await expectStatus(400) {
                _ = try await buyer.createThread(with: (1...20).map { ("s\($0)", .seller) })
            }
            await expectStatus(400) { _ = try await buyer.createThread(with: [("buyer1", .seller)]) }
            await expectStatus(403) {
                _ = try await buyer.createThread(with: [("seller1", .seller)], me: ("someoneElse", .buyer))
            }
            let badRole = try await buyer.rawJSON(
                .POST, "/api/conversations", #"{"participants":[{"userId":"buyer1","role":"buyer"},{"userId":"x","role":"king"}]}"#)
            #expect(badRole.status == 400)
            #expect(badRole.error?.error.message.contains("participants[1].role") == true)
            let missing = try await buyer.rawJSON(.POST, "/api/conversations", #"{"orderId":"o1"}"#)
            #expect(missing.status == 400)
            #expect(missing.error?.error.message == "participants: required")
            let notJSON = try await buyer.rawJSON(.POST, "/api/conversations", "{participants")
            #expect(notJSON.status == 400)
            let empty = try await buyer.rawJSON(.POST, "/api/conversations", "")
            #expect(empty.status == 400)
            let twenty = try await buyer.createThread(with: (1...19).map { ("s\($0)", .seller) })
            #expect(twenty.conversation.participants.count == 20)
        }
    }

    @Test func serviceCreatesForOthersAndPostsSystemMessages() async throws {
        try await TestServer.with { server in
            let backend = try await server.client("backend", .service)
            let created = try await backend.createConversation(
                CreateConversationBody(
                    participants: [.init(userId: "buyer1", role: .buyer), .init(userId: "seller1", role: .seller)],
                    productId: "p9", subject: "Pedido 1234", message: .init(content: "Pedido creado", type: .system)))
            #expect(created.lastMessage?.type == .system)
            let buyer = try await server.client("buyer1", .buyer)
            await expectStatus(403, code: "forbidden") {
                _ = try await buyer.send(created.conversation.conversationID, .init(content: "falso", type: .system))
            }
            let support = try await server.client("agent1", .support)
            await expectStatus(403) {
                _ = try await support.send(created.conversation.conversationID, .init(content: "x", type: .system))
            }
            let system = try await backend.send(created.conversation.conversationID, .init(content: "Enviado", type: .system))
            #expect(system.seq == 2 && system.senderID == "backend")
        }
    }

    @Test func sendingIsIdempotentByClientMessageID() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread().conversation.conversationID
            let body = Data(#"{"content":"hola","clientMessageId":"k-1"}"#.utf8)
            let first = try await buyer.raw(.POST, "/api/conversations/\(id)/messages", body: body)
            let second = try await buyer.raw(.POST, "/api/conversations/\(id)/messages", body: body)
            #expect(first.status == 201)
            #expect(second.status == 200)
            let a = try JSONDecoder().decode(Message.self, from: first.body)
            let b = try JSONDecoder().decode(Message.self, from: second.body)
            #expect(a == b)
            #expect(a.clientMessageID == "k-1")
            #expect(try await buyer.messages(id).messages.count == 1)
        }
    }

    @Test func contentLimitsAndBodyLimit() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread().conversation.conversationID
            let exactly = try await buyer.send(id, .init(content: String(repeating: "a", count: 16_384)))
            #expect(exactly.content.utf8.count == 16_384)
            await expectStatus(413, code: "too_large") { _ = try await buyer.send(id, .init(content: String(repeating: "a", count: 16_385))) }
            await expectStatus(400) { _ = try await buyer.send(id, .init(content: "  \n ")) }
            await expectStatus(400) { _ = try await buyer.send(id, .init(content: "")) }
            let wrongType = try await buyer.rawJSON(.POST, "/api/conversations/\(id)/messages", #"{"content":"x","type":"video"}"#)
            #expect(wrongType.status == 400)
            #expect(wrongType.error?.error.message.hasPrefix("type:") == true)
            let huge = Data(repeating: UInt8(ascii: "a"), count: 1_048_577)
            let tooBig = try await buyer.raw(.POST, "/api/conversations/\(id)/messages", body: huge)
            #expect(tooBig.status == 413)
            #expect(tooBig.error?.error.code == "too_large")
            // Nothing was lost or added by the bad requests.
            #expect(try await buyer.messages(id).messages.map(\.seq) == [1])
        }
    }

    @Test func messagePagesFollowTheContract() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread().conversation.conversationID
            for index in 1...60 { _ = try await buyer.send(id, .init(content: "m\(index)")) }
            let newest = try await buyer.messages(id)
            #expect(newest.messages.map(\.seq) == Array(11...60))
            #expect(newest.hasMore)
            let before = try await buyer.messages(id, query: ["before": "11", "limit": "20"])
            #expect(before.messages.map(\.seq) == Array(1...10))
            #expect(!before.hasMore)
            let after = try await buyer.messages(id, query: ["after": "55"])
            #expect(after.messages.map(\.seq) == Array(56...60))
            #expect(!after.hasMore)
            await expectStatus(400) { _ = try await buyer.messages(id, query: ["before": "5", "after": "1"]) }
            await expectStatus(400) { _ = try await buyer.messages(id, query: ["limit": "201"]) }
            await expectStatus(400) { _ = try await buyer.messages(id, query: ["limit": "0"]) }
            await expectStatus(400) { _ = try await buyer.messages(id, query: ["before": "abc"]) }
            #expect(try await buyer.messages(id, query: ["limit": "200"]).messages.count == 60)
        }
    }

    @Test func statusLabelsPriorityAssigneeAndArchive() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let support = try await server.client("agent7", .support)
            let id = try await buyer.createThread().conversation.conversationID
            #expect(try await seller.setStatus(id, .pending).conversation.status == .pending)
            let badStatus = try await seller.rawJSON(.PUT, "/api/conversations/\(id)/status", #"{"status":"done"}"#)
            #expect(badStatus.status == 400)
            #expect(try await buyer.setLabels(id, ["envio", "urgente"]).conversation.labels == ["envio", "urgente"])
            #expect(try await seller.setPriority(id, .high).conversation.priority == .high)
            await expectStatus(403, code: "forbidden") { _ = try await buyer.setAssignee(id, "agent7") }
            #expect(try await support.setAssignee(id, "agent7").conversation.assignedTo == "agent7")
            let missingField = try await support.rawJSON(.PUT, "/api/conversations/\(id)/assignee", "{}")
            #expect(missingField.status == 400)
            #expect(try await support.setAssignee(id, nil).conversation.assignedTo == nil)
            #expect(try await buyer.setArchived(id, true).archived)
            #expect(try await seller.conversation(id).archived == false)
            #expect(try await buyer.conversations().conversations.isEmpty)
            #expect(try await buyer.conversations(query: ["archived": "true"]).conversations.count == 1)
            #expect(try await buyer.setArchived(id, false).archived == false)
        }
    }

    @Test func closedConversationsAcceptMessagesAndABuyerReopensThem() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let support = try await server.client("agent7", .support)
            let id = try await buyer.createThread().conversation.conversationID
            _ = try await support.setStatus(id, .closed)
            _ = try await support.send(id, .init(content: "Cerramos el caso"))
            #expect(try await buyer.conversation(id).conversation.status == .closed)
            _ = try await buyer.send(id, .init(content: "¡Todavía no llegó!"))
            #expect(try await buyer.conversation(id).conversation.status == .open)
        }
    }

    @Test func readPositionsDriveReadByAndUnreadCount() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let seller = try await server.client("seller1", .seller)
            let id = try await buyer.createThread(message: "uno").conversation.conversationID
            _ = try await buyer.send(id, .init(content: "dos"))
            _ = try await buyer.send(id, .init(content: "tres"))
            #expect(try await seller.conversation(id).unreadCount == 3)
            let read = try await seller.markRead(id, seq: 2)
            #expect(read.seq == 2 && read.userId == "seller1")
            #expect(try await seller.conversation(id).unreadCount == 1)
            #expect(try await buyer.messages(id).messages.map(\.readBy) == [["seller1"], ["seller1"], []])
            await expectStatus(400) { _ = try await seller.markRead(id, seq: 4) }
            await expectStatus(400) { _ = try await seller.markRead(id, seq: -1) }
            let listed = try await seller.conversations().conversations.first
            #expect(listed?.unreadCount == 1)
            #expect(listed?.lastMessage?.content == "tres")
        }
    }

    @Test func theInboxFiltersAndPagesWithAnOpaqueCursor() async throws {
        try await TestServer.with { server in
            let seller = try await server.client("seller1", .seller)
            var ids: [String] = []
            for index in 0..<5 {
                let buyer = try await server.client("buyer\(index)", .buyer)
                let created = try await buyer.createConversation(
                    .init(
                        participants: [.init(userId: "buyer\(index)", role: .buyer), .init(userId: "seller1", role: .seller)],
                        productId: index < 2 ? "p1" : "p2", orderId: "o\(index)"))
                ids.append(created.conversation.conversationID)
            }
            _ = try await seller.setStatus(ids[0], .closed)
            var collected: [String] = []
            var cursor: String?
            repeat {
                let page = try await seller.conversations(query: ["limit": "2"].merging(cursor.map { ["cursor": $0] } ?? [:]) { $1 })
                #expect(page.conversations.count <= 2)
                collected += page.conversations.map(\.conversation.conversationID)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(Set(collected) == Set(ids))
            #expect(collected.count == 5)
            #expect(try await seller.conversations(query: ["status": "closed"]).conversations.map(\.conversation.conversationID) == [ids[0]])
            #expect(try await seller.conversations(query: ["productId": "p1"]).conversations.count == 2)
            #expect(try await seller.conversations(query: ["orderId": "o3"]).conversations.map(\.conversation.conversationID) == [ids[3]])
            await expectStatus(400) { _ = try await seller.conversations(query: ["cursor": "not-a-cursor"]) }
            await expectStatus(400) { _ = try await seller.conversations(query: ["status": "finished"]) }
            await expectStatus(400) { _ = try await seller.conversations(query: ["limit": "201"]) }
            let lastPage = try await seller.raw(.GET, "/api/conversations")
            let json = try #require(try JSONSerialization.jsonObject(with: lastPage.body) as? [String: Any])
            #expect(json["nextCursor"] is NSNull)
            let buyer0 = try await server.client("buyer0", .buyer)
            #expect(try await buyer0.conversations().conversations.map(\.conversation.conversationID) == [ids[0]])
            let support = try await server.client("agent", .support)
            #expect(try await support.conversations().conversations.count == 5)
        }
    }

    @Test func tooManyWritesGet429WithRetryAfter() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread().conversation.conversationID
            var limited: ParleyRESTClient.RawResponse?
            for index in 0..<Int(Limits.userWriteBurst) * 5 {
                let response = try await buyer.rawJSON(.POST, "/api/conversations/\(id)/messages", #"{"content":"m\#(index)"}"#)
                if response.status == 429 {
                    limited = response
                    break
                }
                #expect(response.status == 201)
            }
            let refused = try #require(limited)
            #expect(refused.error?.error.code == "rate_limited")
            #expect(Int(refused.header("Retry-After") ?? "") ?? 0 >= 1)
            // Another user is not affected.
            let seller = try await server.client("seller1", .seller)
            _ = try await seller.send(id, .init(content: "sigo aquí"))
        }
    }

    @Test func operationsEndpointsNeedNoToken() async throws {
        try await TestServer.with { server in
            let anonymous = server.anonymous()
            #expect(try await anonymous.raw(.GET, "/health").status == 200)
            #expect(try await anonymous.raw(.GET, "/ready").status == 200)
            let buyer = try await server.client("buyer1", .buyer)
            _ = try await buyer.createThread(message: "hola")
            let metrics = try await anonymous.raw(.GET, "/metrics")
            #expect(metrics.status == 200)
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(text.contains("parley_messages_stored_total 1"))
            #expect(text.contains("parley_http_requests_total"))
            let openapi = try await anonymous.raw(.GET, "/openapi.json")
            #expect(openapi.status == 200)
            let document = try #require(try JSONSerialization.jsonObject(with: openapi.body) as? [String: Any])
            #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
            let paths = try #require(document["paths"] as? [String: Any])
            for path in [
                "/api/conversations", "/api/conversations/{conversationId}", "/api/conversations/{conversationId}/messages",
                "/api/conversations/{conversationId}/status", "/api/conversations/{conversationId}/labels",
                "/api/conversations/{conversationId}/priority", "/api/conversations/{conversationId}/assignee",
                "/api/conversations/{conversationId}/archive", "/api/conversations/{conversationId}/read",
                "/api/search", "/api/realtime/tickets", "/api/realtime", "/health", "/ready", "/metrics",
                "/dev/users", "/dev/tokens",
            ] {
                #expect(paths.keys.contains(path), "openapi.json lacks \(path)")
            }
            let unknown = try await anonymous.raw(.GET, "/nothing-here")
            #expect(unknown.status == 404)
            #expect(unknown.error?.error.code == "not_found")
        }
    }
}
