import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

@testable import ParleyNotify

/// Deliveries signed by `WebhookSigner` and sent by `NotifyHTTPSender` to an independent
/// receiver (Tests/Notify/webhook_receiver.py, verifying with the `standardwebhooks` package).
@Suite(.serialized) struct WebhookReceiverTests {
    struct Event: Decodable {
        var id: String?
        var timestamp: String?
        var signature: String?
        var verified: [Bool]
        var headers: [String: String?]
        var error: String?
    }

    struct Log: Decodable {
        var events: [Event]
        var rejected: [Event]
    }

    static func deliver(
        to receiver: PythonCounterpart, id: String, secrets: [String], sender: NotifyHTTPSender, timeout: Duration = .seconds(15)
    ) async throws -> DeliveryAnswer {
        let body = Array(#"{"type":"message.created","timestamp":"2026-11-30T12:00:00.000Z","data":{"text":"a/b é"}}"#.utf8)
        let timestamp = String(Int64(Date().timeIntervalSince1970))
        let signature = try WebhookSigner.signature(id: id, timestamp: timestamp, body: body, secrets: secrets)
        return await sender.post(
            url: receiver.origin + "/hook",
            headers: [
                ("Content-Type", "application/json"), ("webhook-id", id), ("webhook-timestamp", timestamp),
                ("webhook-signature", signature),
            ],
            body: body, timeout: timeout)
    }

    static func withReceiver(secrets: [String], _ body: (PythonCounterpart, NotifyHTTPSender) async throws -> Void) async throws {
        let receiver = try await PythonCounterpart.webhookReceiver(secrets: secrets)
        defer { receiver.stop() }
        let sender = NotifyHTTPSender()
        do {
            try await body(receiver, sender)
        } catch {
            try? await sender.shutdown()
            throw error
        }
        try await sender.shutdown()
    }

    @Test func deliverySignedWithOneSecretVerifies() async throws {
        let secret = WebhookSigner.newSecret()
        try await Self.withReceiver(secrets: [secret]) { receiver, sender in
            let answer = try await Self.deliver(to: receiver, id: "ob_1", secrets: [secret], sender: sender)
            #expect(answer.status == 200, "\(answer)")
            let log = try await receiver.getJSON("/events", as: Log.self)
            #expect(log.rejected.isEmpty, "\(log.rejected.map { $0.error ?? "" })")
            let event = try #require(log.events.first)
            #expect(event.id == "ob_1")
            #expect(event.verified == [true])
            #expect(event.headers["Content-Length"] != .some(nil))
        }
    }

    @Test func deliverySignedWithTwoSecretsVerifiesWithEither() async throws {
        let old = WebhookSigner.newSecret()
        let new = WebhookSigner.newSecret()
        try await Self.withReceiver(secrets: [new, old]) { receiver, sender in
            #expect(try await Self.deliver(to: receiver, id: "ob_2", secrets: [new, old], sender: sender).status == 200)
            // During a rotation the receiver may still know only the old secret.
            try await receiver.postJSON("/control", ["secrets": [old]])
            #expect(try await Self.deliver(to: receiver, id: "ob_3", secrets: [new, old], sender: sender).status == 200)
            let log = try await receiver.getJSON("/events", as: Log.self)
            #expect(log.events.map(\.verified) == [[true, true], [true]])
            #expect(log.events.first?.signature?.split(separator: " ").count == 2)
        }
    }

    @Test func deliverySignedWithAnotherSecretIsRefused() async throws {
        try await Self.withReceiver(secrets: [WebhookSigner.newSecret()]) { receiver, sender in
            let answer = try await Self.deliver(to: receiver, id: "ob_4", secrets: [WebhookSigner.newSecret()], sender: sender)
            #expect(answer.status == 401)
            let log = try await receiver.getJSON("/events", as: Log.self)
            #expect(log.events.isEmpty)
            #expect(log.rejected.count == 1)
        }
    }
}
