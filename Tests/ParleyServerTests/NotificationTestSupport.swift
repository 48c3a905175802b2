import Foundation
import ParleyClient
import ParleyCore
import ParleyNotify
import ParleyTestSupport
import Testing

/// What the notification tests share: JSON through the raw client, and waiting (bounded)
/// for the counterparts to record something.
enum NotificationTestSupport {
    /// Long enough for a loaded machine; every wait ends as soon as its condition holds.
    static let waitLimit: Duration = .seconds(20)

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends `json` with `method` and returns the status and the decoded answer (an empty
    /// dictionary for an empty or non-object body).
    @discardableResult
    static func call(
        _ client: ParleyRESTClient, _ method: ParleyRESTClient.Method, _ path: String, _ json: Any? = nil
    ) async throws -> (status: Int, body: [String: Any]) {
        let data = try json.map { try JSONSerialization.data(withJSONObject: $0) }
        let response = try await client.raw(method, path, body: data, headers: data == nil ? [] : [("Content-Type", "application/json")])
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        return (response.status, object)
    }

    /// Polls `read` until `condition` holds on its value, at most `waitLimit`; the last
    /// value either way.
    static func eventually<Value>(
        _ read: () async throws -> Value, until condition: (Value) -> Bool
    ) async throws -> Value {
        let deadline = ContinuousClock.now + waitLimit
        var value = try await read()
        while !condition(value) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            value = try await read()
        }
        return value
    }

    /// The receiver's verified events.
    static func events(_ receiver: PythonCounterpart) async throws -> [[String: Any]] {
        try await receiver.getJSON("/events")["events"] as? [[String: Any]] ?? []
    }

    /// The push service's accepted pushes.
    static func pushes(_ service: PythonCounterpart) async throws -> [[String: Any]] {
        try await service.getJSON("/pushes")["pushes"] as? [[String: Any]] ?? []
    }

    /// Web Push for tests: a fresh key, pushes as soon as a message is unread (no delay),
    /// to the loopback push service.
    static func pushConfiguration(delay: Duration = .zero) throws -> PushConfiguration {
        PushConfiguration(
            signer: try VAPIDSigner.generate(subject: "mailto:tests@parley.example"), delay: delay, allowInsecure: true)
    }

    /// Registers a webhook for `events` at the receiver and tells the receiver its secret.
    static func registerWebhook(
        _ service: ParleyRESTClient, at receiver: PythonCounterpart, events: [String]
    ) async throws -> (id: String, secret: String) {
        let (status, body) = try await call(service, .POST, "/api/webhooks", ["url": receiver.origin + "/hook", "events": events])
        guard status == 201, let id = body["webhookId"] as? String, let secret = body["secret"] as? String else {
            throw Failure(description: "registering a webhook answered \(status): \(body)")
        }
        try await receiver.postJSON("/control", ["secrets": [secret]])
        return (id, secret)
    }
}
