import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

@testable import ParleyNotify

/// Pushes made by `WebPushEncryptor`, `VAPIDSigner` and `NotifyHTTPSender` sent to an
/// independent push service (Tests/Notify/push_service.py: PyJWT checks the VAPID JWT,
/// http_ece decrypts the body).
@Suite(.serialized) struct PushServiceTests {
    struct Subscription: Decodable {
        struct Keys: Decodable {
            var p256dh: String
            var auth: String
        }
        var endpoint: String
        var keys: Keys
    }

    struct Received: Decodable {
        struct VAPID: Decodable {
            var aud: String
            var exp: Int64
            var sub: String
            var k: String
        }
        var subscription: String
        var headers: [String: String?]
        var bodyLength: Int?
        var payload: String?
        var error: String?
        var answeredStatus: Int?
        var vapid: VAPID?
    }

    struct Log: Decodable {
        var pushes: [Received]
        var rejected: [Received]
    }

    /// Runs `body` with a push service, its default subscription, a signer and a sender,
    /// and stops them all afterwards.
    static func withPushService(
        _ body: (PythonCounterpart, Subscription, VAPIDSigner, NotifyHTTPSender) async throws -> Void
    ) async throws {
        let service = try await PythonCounterpart.pushService()
        defer { service.stop() }
        let sender = NotifyHTTPSender()
        do {
            let subscription = try await service.getJSON("/subscription", as: Subscription.self)
            let signer = try VAPIDSigner.generate(subject: "mailto:ops@parley.test")
            try await body(service, subscription, signer, sender)
        } catch {
            try? await sender.shutdown()
            throw error
        }
        try await sender.shutdown()
    }

    static func now() -> Timestamp {
        Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
    }

    static func push(
        _ payload: String, to subscription: Subscription, signer: VAPIDSigner, sender: NotifyHTTPSender,
        auth: String? = nil, authorization: String? = nil
    ) async throws -> DeliveryAnswer {
        let body = try WebPushEncryptor().encrypt(Array(payload.utf8), p256dh: subscription.keys.p256dh, auth: auth ?? subscription.keys.auth)
        let header = try authorization ?? signer.authorization(for: subscription.endpoint, now: Self.now())
        return await sender.post(
            url: subscription.endpoint,
            headers: [
                ("Content-Type", "application/octet-stream"), ("Content-Encoding", "aes128gcm"), ("TTL", "86400"),
                ("Urgency", "high"), ("Topic", "c_abc"), ("Authorization", header),
            ],
            body: body, timeout: NotifyHTTPSender.pushTimeout)
    }

    @Test func pushIsAcceptedVerifiedAndDecrypted() async throws {
        try await Self.withPushService { service, subscription, signer, sender in
            #expect(await EndpointPolicy.push(allowInsecure: true).refusal(for: subscription.endpoint) == nil)
            let payload = #"{"type":"message.new","conversationId":"c_1","preview":"Grüße, 👋"}"#
            let answer = try await Self.push(payload, to: subscription, signer: signer, sender: sender)
            #expect(answer.status == 201, "\(answer)")
            #expect(answer.isSuccess)

            let log = try await service.getJSON("/pushes", as: Log.self)
            #expect(log.rejected.isEmpty, "\(log.rejected.map { $0.error ?? "" })")
            let received = try #require(log.pushes.first)
            #expect(received.payload == payload)
            #expect(received.headers["TTL"] == "86400")
            #expect(received.headers["Urgency"] == "high")
            #expect(received.headers["Topic"] == "c_abc")
            #expect(received.headers["Content-Encoding"] == "aes128gcm")
            // Sent whole with Content-Length (never chunked), padded to a 256-byte bucket.
            #expect(received.headers["Content-Length"] == "\(86 + 256 + 16)")
            #expect(received.headers["Transfer-Encoding"] == .some(nil))
            #expect(received.vapid?.aud == service.origin)
            #expect(received.vapid?.sub == "mailto:ops@parley.test")
            #expect(received.vapid?.k == signer.publicKey)

            // A second push reuses the cached token, and is accepted too.
            #expect(try await Self.push("second", to: subscription, signer: signer, sender: sender).status == 201)
            #expect(try await service.getJSON("/pushes", as: Log.self).pushes.map(\.payload) == [payload, "second"])
        }
    }

    @Test func pushServiceRefusesAWrongAuthSecretOrKey() async throws {
        try await Self.withPushService { service, subscription, signer, sender in
            let wrongAuth = Data(repeating: 9, count: 16).base64URLEncodedString()
            let undecryptable = try await Self.push("x", to: subscription, signer: signer, sender: sender, auth: wrongAuth)
            #expect(undecryptable.status == 400)

            // A token signed by one key presented with another key's `k`.
            let other = try VAPIDSigner.generate(subject: "mailto:ops@parley.test")
            let forged = try signer.authorization(for: subscription.endpoint, now: Self.now())
                .replacingOccurrences(of: "k=\(signer.publicKey)", with: "k=\(other.publicKey)")
            let unsigned = try await Self.push("x", to: subscription, signer: signer, sender: sender, authorization: forged)
            #expect(unsigned.status == 403)

            let log = try await service.getJSON("/pushes", as: Log.self)
            #expect(log.pushes.isEmpty)
            #expect(log.rejected.count == 2)
            #expect(log.rejected.first?.error?.contains("decryption failed") == true)
            #expect(log.rejected.last?.error?.contains("VAPID") == true)
        }
    }

    @Test func answersOfThePushServiceComeBack() async throws {
        try await Self.withPushService { service, subscription, signer, sender in
            try await service.postJSON("/control", ["status": 429, "retryAfter": "7", "times": 1])
            let throttled = try await Self.push("a", to: subscription, signer: signer, sender: sender)
            #expect(throttled.status == 429)
            #expect(throttled.retryAfter == .seconds(7))
            #expect(!throttled.isSuccess)

            try await service.postJSON("/control", ["status": 410, "times": 1])
            #expect(try await Self.push("b", to: subscription, signer: signer, sender: sender).status == 410)
            // Back to the default.
            #expect(try await Self.push("c", to: subscription, signer: signer, sender: sender).status == 201)
        }
    }
}
