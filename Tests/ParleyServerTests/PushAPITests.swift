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
