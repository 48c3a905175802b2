import Foundation
import Logging
import ParleyClient
import ParleyCore
import ParleySQLite
import ParleyTestSupport
import Testing

/// Webhooks and help-desk tickets through the API (issue 15), against a receiver that
/// verifies every delivery with the `standardwebhooks` package.
@Suite(.serialized) struct WebhookAPITests {
    typealias Support = NotificationTestSupport

    @Test func aConversationAndItsMessageReachTheMarketplaceSignedOnce() async throws {
        let receiver = try await PythonCounterpart.webhookReceiver()
        defer { receiver.stop() }
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let backend = try await server.client("backend", .service)
            let (webhookID, secret) = try await Support.registerWebhook(
                backend, at: receiver, events: ["conversation.created", "message.created"])
            #expect(secret.hasPrefix("whsec_"))
            let buyer = try await server.client("buyer1", .buyer)
            let view = try await buyer.createThread(orderID: "PED-1", message: "¿Cuándo llega mi pedido?")
            let events = try await Support.eventually({ try await Support.events(receiver) }, until: { $0.count >= 2 })
            let types = events.compactMap { ($0["body"] as? [String: Any])?["type"] as? String }
            #expect(Set(types) == ["conversation.created", "message.created"], "got \(types)")
            for event in events {
                #expect(event["verified"] as? [Bool] == [true], "signed with the webhook's secret")
                let body = event["body"] as? [String: Any]
                #expect((body?["timestamp"] as? String)?.isEmpty == false)
                let headers = event["headers"] as? [String: Any]
                #expect(headers?["Content-Length"] is String, "a body of known length")
            }
            let message = events.compactMap { $0["body"] as? [String: Any] }.first { $0["type"] as? String == "message.created" }
            let data = message?["data"] as? [String: Any]
            #expect(data?["content"] as? String == "¿Cuándo llega mi pedido?")
            #expect(data?["conversationId"] as? String == view.conversation.conversationID)
            // Nothing arrives twice, and a further message is one more event.
            _ = try await buyer.send(view.conversation.conversationID, SendMessageBody(content: "¿Hola?"))
            let after = try await Support.eventually({ try await Support.events(receiver) }, until: { $0.count >= 3 })
            #expect(after.count == 3)
            #expect(Set(after.compactMap { $0["id"] as? String }).count == 3, "each event has its own webhook-id")
            // The list hides the secret; the log shows the answers.
            let (_, list) = try await Support.call(backend, .GET, "/api/webhooks")
            let listed = (list["webhooks"] as? [[String: Any]])?.first
            #expect(listed?["webhookId"] as? String == webhookID && listed?["secret"] == nil)
            let (_, log) = try await Support.call(backend, .GET, "/api/webhooks/\(webhookID)/deliveries")
            let statuses = (log["deliveries"] as? [[String: Any]])?.compactMap { $0["status"] as? Int }
            #expect(statuses == [200, 200, 200])
        }
    }

    @Test func aFailedDeliveryIsRetriedWithTheSameIDAndGoneDisablesTheWebhook() async throws {
        let receiver = try await PythonCounterpart.webhookReceiver()
        defer { receiver.stop() }
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let backend = try await server.client("backend", .service)
            let (webhookID, _) = try await Support.registerWebhook(backend, at: receiver, events: ["message.created"])
            try await receiver.postJSON("/control", ["status": 500, "times": 1])
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(orderID: "PED-2").conversation.conversationID
            _ = try await buyer.send(id, SendMessageBody(content: "primero"))
            // The contract's first retry comes about 5 s after the failure.
            let events = try await Support.eventually({ try await Support.events(receiver) }, until: { $0.count >= 2 })
            #expect(events.compactMap { $0["answeredStatus"] as? Int } == [500, 200])
            #expect(Set(events.compactMap { $0["id"] as? String }).count == 1, "the same webhook-id on the retry")
            let (_, log) = try await Support.call(backend, .GET, "/api/webhooks/\(webhookID)/deliveries")
            let attempts = (log["deliveries"] as? [[String: Any]])?.compactMap { $0["attempt"] as? Int }
            #expect(attempts == [2, 1], "newest first")

            try await receiver.postJSON("/control", ["status": 410])
            _ = try await buyer.send(id, SendMessageBody(content: "segundo"))
            let disabled = try await Support.eventually(
                { try await Support.call(backend, .GET, "/api/webhooks").body },
                until: { (($0["webhooks"] as? [[String: Any]])?.first?["disabledAt"] as? String) != nil })
            #expect((disabled["webhooks"] as? [[String: Any]])?.first?["disabledAt"] is String, "410 Gone disables it")
            try await receiver.postJSON("/control", ["status": 200])
            _ = try await buyer.send(id, SendMessageBody(content: "tercero"))
            try await Task.sleep(for: .seconds(1))
            #expect(try await Support.events(receiver).count == 3, "nothing more to a disabled webhook")
        }
    }

    @Test func afterARotationBothSecretsSign() async throws {
        let receiver = try await PythonCounterpart.webhookReceiver()
        defer { receiver.stop() }
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let backend = try await server.client("backend", .service)
            let (webhookID, old) = try await Support.registerWebhook(backend, at: receiver, events: ["conversation.created"])
            let (status, rotated) = try await Support.call(backend, .POST, "/api/webhooks/\(webhookID)/rotate")
            let new = try #require(rotated["secret"] as? String)
            #expect(status == 200 && new != old && new.hasPrefix("whsec_"))
            try await receiver.postJSON("/control", ["secrets": [old, new]])
            _ = try await server.client("buyer1", .buyer).createThread(orderID: "PED-3")
            let events = try await Support.eventually({ try await Support.events(receiver) }, until: { !$0.isEmpty })
            #expect(events.first?["verified"] as? [Bool] == [true, true])
            #expect((events.first?["signature"] as? String)?.split(separator: " ").count == 2)
        }
    }

    @Test func onlyAServiceManagesWebhooksAndBadInputNamesTheField() async throws {
        try await TestServer.with { server in
            let seller = try await server.client("seller1", .seller)
            let refused = try await Support.call(seller, .POST, "/api/webhooks", ["url": "https://example.com/h", "events": ["message.created"]])
            #expect(refused.status == 403 && (refused.body["error"] as? [String: Any])?["code"] as? String == "forbidden")
            #expect(try await Support.call(seller, .GET, "/api/webhooks").status == 403)
            let backend = try await server.client("backend", .service)
            for (json, field) in [
                (#"{"url":"ftp://example.com/h","events":["message.created"]}"#, "url"),
                (#"{"url":"https://example.com/h","events":[]}"#, "events"),
                (#"{"url":"https://example.com/h","events":["message.deleted"]}"#, "events[0]"),
            ] {
                let response = try await backend.rawJSON(.POST, "/api/webhooks", json)
                #expect(response.status == 400)
                let message = String(decoding: response.body, as: UTF8.self)
                #expect(message.contains(field), "names \(field): \(message)")
            }
            #expect(try await Support.call(backend, .DELETE, "/api/webhooks/wh_unknown").status == 404)
        }
    }

    @Test func aTicketReachesTheHelpDeskAndClosingItClosesTheConversation() async throws {
        let receiver = try await PythonCounterpart.webhookReceiver()
        defer { receiver.stop() }
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let desk = try await server.client("helpdesk", .service)
            _ = try await Support.registerWebhook(desk, at: receiver, events: ["ticket.requested"])
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(orderID: "PED-4", message: "El paquete llegó roto").conversation.conversationID
            let (status, requested) = try await Support.call(buyer, .POST, "/api/conversations/\(id)/ticket", ["reason": "llegó roto"])
            #expect(status == 200)
            let ticket = (requested["metadata"] as? [String: Any])?["ticket"] as? [String: Any]
            #expect(ticket?["state"] as? String == "requested" && ticket?["requestedBy"] as? String == "buyer1")
            #expect(ticket?["requestedAt"] is String)

            let events = try await Support.eventually({ try await Support.events(receiver) }, until: { !$0.isEmpty })
            let body = try #require(events.first?["body"] as? [String: Any])
            #expect(body["type"] as? String == "ticket.requested")
            let data = body["data"] as? [String: Any]
            #expect((data?["conversation"] as? [String: Any])?["conversationId"] as? String == id)
            let messages = data?["messages"] as? [[String: Any]]
            #expect(messages?.first?["content"] as? String == "El paquete llegó roto")

            // Only the help desk answers; a participant may not.
            #expect(
                try await Support.call(buyer, .PUT, "/api/conversations/\(id)/ticket", ["ticketId": "ZD-1", "state": "open"]).status
                    == 403)
            #expect(
                try await Support.call(desk, .PUT, "/api/conversations/\(id)/ticket", ["ticketId": "ZD-1", "state": "lost"]).status
                    == 400)
            let (_, opened) = try await Support.call(
                desk, .PUT, "/api/conversations/\(id)/ticket",
                ["ticketId": "ZD-1234", "url": "https://desk.example/tickets/1234", "state": "open"])
            let open = (opened["metadata"] as? [String: Any])?["ticket"] as? [String: Any]
            #expect(open?["ticketId"] as? String == "ZD-1234" && open?["state"] as? String == "open")
            #expect(opened["status"] as? String == "open")

            let (_, solved) = try await Support.call(
                desk, .PUT, "/api/conversations/\(id)/ticket", ["ticketId": "ZD-1234", "state": "solved"])
            #expect(solved["status"] as? String == "closed", "a solved ticket closes the conversation")
            let last = solved["lastMessage"] as? [String: Any]
            #expect(last?["type"] as? String == "system")
            #expect((last?["content"] as? String)?.contains("ZD-1234") == true)
        }
    }

    /// The ticket step of issue 15's "done when", in one run: an escalated conversation
    /// with `--ticket-on-escalation` → the signed `ticket.requested` at the help desk
    /// (verified with `standardwebhooks`) → the help desk answers with its ticket id
    /// (`open`, and `conversation.updated` tells the marketplace) → `closed` closes the
    /// conversation with a `system` message naming the ticket.
    @Test func anEscalationRequestsATicketWhenConfigured() async throws {
        let receiver = try await PythonCounterpart.webhookReceiver()
        defer { receiver.stop() }
        try await TestServer.with(options: .init(userWritesPerSecond: 0, ticketOnEscalation: true)) { server in
            let desk = try await server.client("helpdesk", .service)
            _ = try await Support.registerWebhook(
                desk, at: receiver, events: ["conversation.escalated", "ticket.requested", "conversation.updated"])
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(orderID: "PED-5").conversation.conversationID
            _ = try await buyer.send(id, SendMessageBody(content: "Quiero hablar con una persona, por favor"))
            func typed(_ type: String) async throws -> [[String: Any]] {
                try await Support.events(receiver).filter { ($0["body"] as? [String: Any])?["type"] as? String == type }
            }
            let requested = try await Support.eventually({ try await typed("ticket.requested") }, until: { !$0.isEmpty })
            #expect(requested.count == 1)
            #expect(requested.first?["verified"] as? [Bool] == [true], "signed with the webhook's secret")
            let data = (requested.first?["body"] as? [String: Any])?["data"] as? [String: Any]
            #expect((data?["conversation"] as? [String: Any])?["conversationId"] as? String == id)
            #expect((data?["ticket"] as? [String: Any])?["requestedBy"] as? String == Principal.assistantID)
            #expect(try await typed("conversation.escalated").count == 1)
            let view = try await buyer.conversation(id)
            #expect(view.conversation.ticket?.requestedBy == Principal.assistantID)
            #expect(view.conversation.escalation?.reason == .askedForHuman)

            // The help desk answers with its ticket id.
            let (openStatus, opened) = try await Support.call(
                desk, .PUT, "/api/conversations/\(id)/ticket",
                ["ticketId": "ZD-7781", "url": "https://desk.example/tickets/7781", "state": "open"])
            #expect(openStatus == 200)
            let open = (opened["metadata"] as? [String: Any])?["ticket"] as? [String: Any]
            #expect(open?["ticketId"] as? String == "ZD-7781" && open?["state"] as? String == "open")
            #expect(opened["status"] as? String != "closed")
            // The marketplace hears of it: a conversation.updated carrying the ticket.
            func ticketsUpdated() async throws -> [[String: Any]] {
                try await typed("conversation.updated").compactMap {
                    let conversation = ($0["body"] as? [String: Any])?["data"] as? [String: Any]
                    return (conversation?["metadata"] as? [String: Any])?["ticket"] as? [String: Any]
                }
            }
            let updated = try await Support.eventually({ try await ticketsUpdated() }, until: { $0.contains { $0["ticketId"] as? String == "ZD-7781" } })
            #expect(updated.contains { $0["ticketId"] as? String == "ZD-7781" }, "conversation.updated after the help desk's PUT")

            // Closing the ticket closes the conversation, with a system message naming it.
            let (closeStatus, closed) = try await Support.call(
                desk, .PUT, "/api/conversations/\(id)/ticket", ["ticketId": "ZD-7781", "state": "closed"])
            #expect(closeStatus == 200)
            #expect(closed["status"] as? String == "closed")
            let messages = try await buyer.messages(id).messages
            let system = messages.filter { $0.type == .system }
            #expect(system.count == 1 && system.first?.content.contains("ZD-7781") == true, "got \(system.map(\.content))")
            let closedEvents = try await Support.eventually(
                { try await typed("conversation.updated") },
                until: { $0.contains { (($0["body"] as? [String: Any])?["data"] as? [String: Any])?["status"] as? String == "closed" } })
            #expect(closedEvents.allSatisfy { $0["verified"] as? [Bool] == [true] })
        }
    }

    /// `PUT …/ticket solved` is three writes (the ticket, the system message, the
    /// status). A help desk that retries after a failure between them finds the ticket
    /// already solved: the retry still closes the conversation, and neither it nor a
    /// further retry posts a second system message. The failure is made by another
    /// writer of the same database writing only the ticket, as the first write would.
    @Test func aRetriedSolvedTicketClosesTheConversationOnce() async throws {
        let folder = try makeTemporaryFolder("ticket-retry")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("shared.sqlite").path
        try await TestServer.with(options: .init(userWritesPerSecond: 0, databasePath: database)) { server in
            let desk = try await server.client("helpdesk", .service)
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread(orderID: "PED-6", message: "No llegó").conversation.conversationID
            #expect(try await Support.call(buyer, .POST, "/api/conversations/\(id)/ticket", ["reason": "no llegó"]).status == 200)

            // Only the first write of a `PUT solved` happened.
            var logger = Logger(label: "interrupted-put")
            logger.logLevel = .error
            let otherNode = try SQLiteConversationStore(path: database, logger: logger)
            try await withRunningServices([otherNode], logger: logger) {
                let now = SystemWallClock().now()
                let solved = SupportTicket(
                    state: .solved, requestedAt: now, requestedBy: "buyer1", reason: "no llegó", ticketID: "ZD-99", updatedAt: now)
                _ = try await otherNode.updateConversation(id: id, change: .ticket(solved), now: now)
            }
            #expect(try await buyer.conversation(id).conversation.status != .closed, "the interrupted PUT left it open")

            for attempt in 1...2 {
                let (status, answer) = try await Support.call(
                    desk, .PUT, "/api/conversations/\(id)/ticket", ["ticketId": "ZD-99", "state": "solved"])
                #expect(status == 200)
                #expect(answer["status"] as? String == "closed", "retry \(attempt) closes the conversation")
            }
            let system = try await buyer.messages(id).messages.filter { $0.type == .system }
            #expect(system.count == 1, "one system message, got \(system.map(\.content))")
            #expect(system.first?.content.contains("ZD-99") == true)
        }
    }
}
