import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

@testable import ParleyNotify

/// The sender's behaviour towards untrusted receivers: no redirects, bounded waits.
@Suite(.serialized) struct NotifyHTTPSenderTests {
    @Test func redirectIsNotFollowed() async throws {
        let service = try await PythonCounterpart.pushService()
        defer { service.stop() }
        let sender = NotifyHTTPSender()
        // The service answers 302 to its own /subscriptions, which would create a
        // subscription if the client followed it.
        try await service.postJSON("/control", ["status": 302, "location": service.origin + "/subscriptions", "times": 1])
        let subscription = try await service.getJSON("/subscription", as: PushServiceTests.Subscription.self)
        let signer = try VAPIDSigner.generate(subject: "mailto:ops@parley.test")
        let answer = try await PushServiceTests.push("r", to: subscription, signer: signer, sender: sender)
        #expect(answer.status == 302)
        #expect(!answer.isSuccess)
        // Nothing was posted after the redirect: the one push recorded is the original.
        let log = try await service.getJSON("/pushes", as: PushServiceTests.Log.self)
        #expect(log.pushes.count == 1)
        #expect(log.rejected.isEmpty)
        try await sender.shutdown()
    }

    @Test func slowReceiverTimesOut() async throws {
        let secret = WebhookSigner.newSecret()
        let receiver = try await PythonCounterpart.webhookReceiver(secrets: [secret])
        defer { receiver.stop() }
        let sender = NotifyHTTPSender()
        try await receiver.postJSON("/control", ["delaySeconds": 3, "times": 1])
        let start = ContinuousClock.now
        let answer = try await WebhookReceiverTests.deliver(to: receiver, id: "ob_slow", secrets: [secret], sender: sender, timeout: .seconds(1))
        let elapsed = start.duration(to: .now)
        #expect(answer.status == nil)
        #expect(answer.error?.contains("no answer within") == true, "\(answer)")
        #expect(elapsed < .milliseconds(2500), "\(elapsed)")
        #expect(answer.duration >= .milliseconds(900))
        // The receiver got it (and would have answered too late).
        #expect(try await receiver.getJSON("/events", as: WebhookReceiverTests.Log.self).events.count == 1)
        // Stopped first, so that the client's shutdown does not wait for its late answer.
        receiver.stop()
        try await sender.shutdown()
    }

    @Test func refusedConnectionIsAnAnswerWithoutStatus() async throws {
        let sender = NotifyHTTPSender()
        let port = try LoopbackPort.free()
        // The client retries a refused connection until the deadline, so this takes it whole.
        let answer = await sender.post(url: "http://127.0.0.1:\(port)/hook", headers: [], body: Array("{}".utf8), timeout: .seconds(1))
        #expect(answer.status == nil)
        #expect(answer.error != nil)
        #expect(answer.duration < .seconds(3))
        try await sender.shutdown()
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(DeliveryAnswer.retryAfter(parsing: "120", now: now) == .seconds(120))
        #expect(DeliveryAnswer.retryAfter(parsing: " 0 ", now: now) == .seconds(0))
        #expect(DeliveryAnswer.retryAfter(parsing: "Wed, 21 Oct 2015 07:30:00 GMT", now: now) == .seconds(120))
        #expect(DeliveryAnswer.retryAfter(parsing: "Wednesday, 21-Oct-15 07:29:00 GMT", now: now) == .seconds(60))
        #expect(DeliveryAnswer.retryAfter(parsing: "Wed, 21 Oct 2015 07:00:00 GMT", now: now) == .seconds(0))
        #expect(DeliveryAnswer.retryAfter(parsing: "-5", now: now) == nil)
        #expect(DeliveryAnswer.retryAfter(parsing: "soon", now: now) == nil)
    }
}
