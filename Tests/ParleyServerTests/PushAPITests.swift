import Foundation
import ParleyClient
import ParleyCore
import ParleyTestSupport
import Testing

/// Web Push through the API (issue 15), against a loopback push service that checks each
/// request's VAPID token and decrypts its body with `http_ece`, as a browser would.
@Suite(.serialized) struct PushAPITests {
    typealias Support = NotificationTestSupport

    /// The buyer subscribed at the push service, in a conversation with the seller.
    struct Setup {
        let buyer: ParleyRESTClient
        let seller: ParleyRESTClient
        let conversationID: String
        let subscriptionID: String
    }

    static func setup(_ server: TestServer, _ service: PythonCounterpart) async throws -> Setup {
        let buyer = ParleyRESTClient(
            baseURL: server.baseURL, token: try await server.signer.sign(userID: "buyer1", role: .buyer, name: "Ana"))
        let seller = ParleyRESTClient(
            baseURL: server.baseURL, token: try await server.signer.sign(userID: "seller1", role: .seller, name: "Tienda Sol"))
        let id = try await buyer.createThread(orderID: "PED-10231").conversation.conversationID
        let subscription = try await service.getJSON("/subscription")
        let (status, body) = try await Support.call(buyer, .POST, "/api/push/subscriptions", subscription)
        #expect(status == 201)
        let subscriptionID = try #require(body["subscriptionId"] as? String)
        // The seller's sign-in records its display name (the push's sender name).
        _ = try await seller.conversation(id)
        return Setup(buyer: buyer, seller: seller, conversationID: id, subscriptionID: subscriptionID)
    }

    @Test func aBuyerAwayGetsTheSellersAnswerAndReadingItClearsIt() async throws {
        let service = try await PythonCounterpart.pushService()
        defer { service.stop() }
        try await TestServer.with(options: .init(userWritesPerSecond: 0, push: try Support.pushConfiguration())) { server in
            let setup = try await Self.setup(server, service)
            let (_, key) = try await Support.call(setup.buyer, .GET, "/api/push/key")
            #expect((key["publicKey"] as? String)?.count == 87, "65 bytes, unpadded base64url")
            let sent = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "Sale mañana por la mañana"))

            let pushes = try await Support.eventually({ try await Support.pushes(service) }, until: { !$0.isEmpty })
            let push = try #require(pushes.first)
            let payload = try #require(push["payloadJSON"] as? [String: Any])
            #expect(payload["type"] as? String == "message.new")
            #expect(payload["conversationId"] as? String == setup.conversationID)
            #expect(payload["messageId"] as? String == sent.messageID)
            #expect(payload["seq"] as? Int == Int(sent.seq))
            #expect(payload["senderName"] as? String == "Tienda Sol")
            #expect(payload["preview"] as? String == "Sale mañana por la mañana")
            #expect((payload["url"] as? String)?.contains(setup.conversationID) == true)
            let headers = try #require(push["headers"] as? [String: Any])
            #expect(headers["Urgency"] as? String == "high")
            #expect(Int(headers["TTL"] as? String ?? "") ?? 0 > 86_000)
            let topic = try #require(headers["Topic"] as? String)
            #expect(topic.count <= 32 && topic.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            #expect(headers["Content-Length"] is String && headers["Transfer-Encoding"] as? String == nil)
            #expect((push["vapid"] as? [String: Any]) != nil, "the service checked the VAPID token")

            // Read on another device: a `read` push with the same topic follows.
            _ = try await setup.buyer.markRead(setup.conversationID, seq: sent.seq)
            let after = try await Support.eventually({ try await Support.pushes(service) }, until: { $0.count >= 2 })
            let read = try #require(after.last?["payloadJSON"] as? [String: Any])
            #expect(read["type"] as? String == "read" && read["seq"] as? Int == Int(sent.seq))
            #expect((after.last?["headers"] as? [String: Any])?["Topic"] as? String == topic)
            // Nothing was pushed twice, and the sender got nothing.
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await Support.pushes(service).count == 2)
        }
    }

    @Test func aRecipientConnectedGetsNoPush() async throws {
        let service = try await PythonCounterpart.pushService()
        defer { service.stop() }
        try await TestServer.with(options: .init(userWritesPerSecond: 0, push: try Support.pushConfiguration(delay: .seconds(1))))
        { server in
            let setup = try await Self.setup(server, service)
            _ = try await server.realtime("buyer1", .buyer) { session in
                _ = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "¿Sigues ahí?"))
                // Past the delay and a few looks of the outbox.
                try await Task.sleep(for: .seconds(2))
            }
            #expect(try await Support.pushes(service).isEmpty, "the buyer was connected the whole time")
        }
    }

    /// The contract counts `--push-delay` from the message: a second message restarts
    /// the wait, and the one push (per conversation and subscription) carries it. (The
    /// pending push once kept the first message's due time: a second message 1.2 s later
    /// was pushed 0.8 s after it was sent.)
    @Test func aSecondMessageIsPushedTheDelayAfterItselfOnce() async throws {
        let service = try await PythonCounterpart.pushService()
        defer { service.stop() }
        let delay = Duration.seconds(2)
        try await TestServer.with(options: .init(userWritesPerSecond: 0, push: try Support.pushConfiguration(delay: delay))) { server in
            let setup = try await Self.setup(server, service)
            _ = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "Lo reviso"))
            try await Task.sleep(for: .milliseconds(1_200))
            let second = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "Sale mañana por la mañana"))
            let pushes = try await Support.eventually({ try await Support.pushes(service) }, until: { !$0.isEmpty })
            let push = try #require(pushes.first)
            let payload = try #require(push["payloadJSON"] as? [String: Any])
            #expect(payload["messageId"] as? String == second.messageID, "the push announces the newest message")
            let receivedAt = try #require(push["receivedAt"] as? Double)
            // Loose: the push service's clock is this machine's, read to the millisecond;
            // no upper bound (a loaded machine may be slow, never early).
            let earliest = Double(second.timestamp.millisecondsSince1970 + 2_000 - Self.clockSlackMilliseconds) / 1_000
            #expect(receivedAt >= earliest, "pushed \(receivedAt - Double(second.timestamp.millisecondsSince1970) / 1_000) s after the second message")
            // Past the first message's would-be due time and more: still one push.
            try await Task.sleep(for: .seconds(1))
            #expect(try await Support.pushes(service).count == 1, "one push per conversation and subscription")
        }
    }

    /// How early a push may look by the two processes' readings of the one clock.
    static let clockSlackMilliseconds: Int64 = 100

    /// "A buyer closes the tab": connected, the seller's first answer is not pushed (the
    /// open socket saw it); after the socket closes, the next one is.
    @Test func aBuyerWhoClosesTheTabIsPushedTheNextAnswer() async throws {
        let service = try await PythonCounterpart.pushService()
        defer { service.stop() }
        try await TestServer.with(options: .init(userWritesPerSecond: 0, push: try Support.pushConfiguration(delay: .seconds(1))))
        { server in
            let setup = try await Self.setup(server, service)
            _ = try await server.realtime("buyer1", .buyer) { _ in
                _ = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "Ya lo preparo"))
                // Past the delay and a few looks of the outbox.
                try await Task.sleep(for: .seconds(2))
            }
            #expect(try await Support.pushes(service).isEmpty, "connected while the first answer came")
            // The server has seen the socket close (the tests' presence grace is 300 ms).
            try await Task.sleep(for: .seconds(1))
            let sent = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "Sale mañana por la mañana"))
            let pushes = try await Support.eventually({ try await Support.pushes(service) }, until: { !$0.isEmpty })
            let payload = try #require(pushes.first?["payloadJSON"] as? [String: Any])
            #expect(payload["messageId"] as? String == sent.messageID)
            #expect(payload["senderName"] as? String == "Tienda Sol")
            #expect(payload["preview"] as? String == "Sale mañana por la mañana")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await Support.pushes(service).count == 1)
        }
    }

    /// The push service's other answers, through the server: `413` drops that push and
    /// keeps the subscription, `500` is retried (after the 10 s backoff) and delivered
    /// once, `404` removes the subscription.
    @Test func tooLargeIsDroppedServerErrorsRetriedAndNotFoundRemoves() async throws {
        let service = try await PythonCounterpart.pushService()
        defer { service.stop() }
        try await TestServer.with(options: .init(userWritesPerSecond: 0, push: try Support.pushConfiguration())) { server in
            let setup = try await Self.setup(server, service)
            func statuses() async throws -> [Int] { try await Support.pushes(service).compactMap { $0["answeredStatus"] as? Int } }
            func subscriptions() async throws -> [Any] {
                try await Support.call(setup.buyer, .GET, "/api/push/subscriptions").body["subscriptions"] as? [Any] ?? []
            }

            try await service.postJSON("/control", ["status": 413, "times": 1])
            _ = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "uno"))
            #expect(try await Support.eventually({ try await statuses() }, until: { !$0.isEmpty }) == [413])
            try await Task.sleep(for: .seconds(1))
            #expect(try await statuses() == [413], "a 413 is not retried")
            #expect(try await subscriptions().count == 1, "a 413 keeps the subscription")

            try await service.postJSON("/control", ["status": 500, "times": 1])
            let second = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "dos"))
            let after = try await Support.eventually({ try await statuses() }, until: { $0.count >= 3 })
            #expect(after == [413, 500, 201], "retried after the 500")
            let delivered = try await Support.pushes(service).last?["payloadJSON"] as? [String: Any]
            #expect(delivered?["messageId"] as? String == second.messageID)
            try await Task.sleep(for: .seconds(1))
            #expect(try await statuses() == [413, 500, 201], "delivered once")

            try await service.postJSON("/control", ["status": 404])
            _ = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "tres"))
            #expect(try await Support.eventually({ try await subscriptions() }, until: { $0.isEmpty }).isEmpty, "a 404 removes the subscription")
            #expect(try await statuses().last == 404)
        }
    }

    /// `parley_outbox_pending` and `parley_outbox_oldest_age_seconds`: a push waiting out
    /// its `--push-delay` is pending but not overdue (its age once counted from its
    /// message); a webhook held by a slow receiver is both.
    @Test func theOutboxGaugesCountWhatWaitsAndOnlyOverdueTime() async throws {
        let service = try await PythonCounterpart.pushService()
        defer { service.stop() }
        let receiver = try await PythonCounterpart.webhookReceiver()
        defer { receiver.stop() }
        try await TestServer.with(options: .init(userWritesPerSecond: 0, push: try Support.pushConfiguration(delay: .seconds(60))))
        { server in
            let setup = try await Self.setup(server, service)
            let anonymous = server.anonymous()
            func gauges() async throws -> (pending: Double?, age: Double?) {
                let text = String(decoding: try await anonymous.raw(.GET, "/metrics").body, as: UTF8.self)
                func value(_ name: String) -> Double? {
                    text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
                }
                return (value("parley_outbox_pending"), value("parley_outbox_oldest_age_seconds"))
            }
            _ = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "Lo reviso"))
            // The gauges are refreshed every 5 s.
            let waiting = try await Support.eventually({ try await gauges() }, until: { $0.pending == 1 })
            #expect(waiting.pending == 1)
            #expect(waiting.age == 0, "a push inside its delay is not overdue")

            _ = try await Support.registerWebhook(try await server.client("backend", .service), at: receiver, events: ["message.created"])
            try await receiver.postJSON("/control", ["delaySeconds": 8, "times": 1])
            _ = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "Sale mañana"))
            let held = try await Support.eventually({ try await gauges() }, until: { ($0.age ?? 0) > 0 })
            #expect((held.age ?? 0) > 0, "a webhook held by a slow receiver is overdue")
            #expect(held.pending == 2, "the push (moved to the newer message) and the webhook")
            #expect(try await Support.pushes(service).isEmpty)
        }
    }

    @Test func goneSubscriptionsAreRemovedAndRefusedOnesRetriedOnce() async throws {
        let service = try await PythonCounterpart.pushService()
        defer { service.stop() }
        try await TestServer.with(options: .init(userWritesPerSecond: 0, push: try Support.pushConfiguration())) { server in
            let setup = try await Self.setup(server, service)
            // 429 with Retry-After: retried, and delivered once.
            try await service.postJSON("/control", ["status": 429, "retryAfter": "1", "times": 1])
            _ = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "uno"))
            let pushes = try await Support.eventually(
                { try await Support.pushes(service) }, until: { $0.contains { $0["answeredStatus"] as? Int == 201 } })
            #expect(pushes.compactMap { $0["answeredStatus"] as? Int } == [429, 201])

            // 410: the subscription is gone for good.
            try await service.postJSON("/control", ["status": 410])
            _ = try await setup.seller.send(setup.conversationID, SendMessageBody(content: "dos"))
            let listed = try await Support.eventually(
                { try await Support.call(setup.buyer, .GET, "/api/push/subscriptions").body },
                until: { ($0["subscriptions"] as? [Any])?.isEmpty == true })
            #expect((listed["subscriptions"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func subscriptionsAreValidatedOwnedAndListed() async throws {
        let service = try await PythonCounterpart.pushService()
        defer { service.stop() }
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            #expect(try await Support.call(buyer, .GET, "/api/push/key").status == 503)
            let unconfigured = try await Support.call(buyer, .GET, "/api/push/key").body
            #expect((unconfigured["error"] as? [String: Any])?["code"] as? String == "push_not_configured")
        }
        var strict = try Support.pushConfiguration()
        strict.allowInsecure = false
        try await TestServer.with(options: .init(push: strict)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let subscription = try await service.getJSON("/subscription")
            let refused = try await Support.call(buyer, .POST, "/api/push/subscriptions", subscription)
            #expect(refused.status == 400, "http:// on loopback is refused without --push-allow-insecure")
            #expect(((refused.body["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("endpoint") == true)
        }
        try await TestServer.with(options: .init(push: try Support.pushConfiguration())) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let other = try await server.client("buyer2", .buyer)
            var subscription = try await service.getJSON("/subscription")
            var keys = subscription["keys"] as? [String: Any] ?? [:]
            keys["auth"] = "c2hvcnQ"
            subscription["keys"] = keys
            let bad = try await Support.call(buyer, .POST, "/api/push/subscriptions", subscription)
            #expect(bad.status == 400 && ((bad.body["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("keys.auth") == true)

            let good = try await service.getJSON("/subscription")
            let first = try await Support.call(buyer, .POST, "/api/push/subscriptions", good)
            #expect(first.status == 201)
            // The same browser, another user signed in: it is now the other user's.
            let again = try await Support.call(other, .POST, "/api/push/subscriptions", good)
            #expect(again.status == 200 && again.body["subscriptionId"] as? String == first.body["subscriptionId"] as? String)
            #expect((try await Support.call(buyer, .GET, "/api/push/subscriptions").body["subscriptions"] as? [Any])?.isEmpty == true)
            let mine = try await Support.call(other, .GET, "/api/push/subscriptions").body["subscriptions"] as? [[String: Any]]
            #expect(mine?.first?["endpoint"] as? String == good["endpoint"] as? String && mine?.first?["createdAt"] is String)
            let id = try #require(first.body["subscriptionId"] as? String)
            #expect(try await Support.call(buyer, .DELETE, "/api/push/subscriptions/\(id)").status == 404, "not the buyer's any more")
            #expect(try await Support.call(other, .DELETE, "/api/push/subscriptions/\(id)").status == 204)
        }
    }
}
