import Foundation
import ParleyCore

/// End-to-end encryption's REST calls: the device directory, epoch keys, encrypted
/// messages and abuse reports. The cryptography is in `E2EE/`; `E2EESession` puts both
/// together. (An encrypted conversation is created with `createConversation` and
/// `CreateConversationBody(…, encrypted: true)`.)
extension ParleyRESTClient {
    /// `PUT /api/devices/{deviceId}` with the identity's public keys and signature.
    public func registerDevice(_ identity: DeviceIdentity) async throws {
        try await registerDevice(identity.deviceID, try identity.registration())
    }

    /// `PUT /api/devices/{deviceId}` with any body (for tests of refused registrations).
    public func registerDevice(_ deviceID: String, _ body: DeviceRegistrationBody) async throws {
        try await expectSuccess(.PUT, "/api/devices/\(Self.pathSegment(deviceID))", body: try JSONEncoder().encode(body))
    }

    /// A user's devices, as the server lists them (not yet verified: see `DeviceBody.verifiedKeys`).
    public func devices(ofUser userID: String) async throws -> [DeviceBody] {
        let list: DeviceListBody = try await call(.GET, "/api/users/\(Self.pathSegment(userID))/devices")
        return list.devices
    }

    /// Retires one of the caller's devices.
    public func retireDevice(_ deviceID: String) async throws {
        try await expectSuccess(.DELETE, "/api/devices/\(Self.pathSegment(deviceID))", body: nil)
    }

    /// `POST …/keys`: one epoch's key sealed to devices (with `share: true` on escalation).
    public func postEpochKeys(_ conversationID: String, _ body: KeySetBody) async throws {
        try await expectSuccess(.POST, "/api/conversations/\(Self.pathSegment(conversationID))/keys", body: try JSONEncoder().encode(body))
    }

    /// What was sealed to `deviceID` in the conversation.
    public func epochKeys(_ conversationID: String, deviceID: String) async throws -> [KeyListBody.Entry] {
        let body: KeyListBody = try await call(.GET, "/api/conversations/\(Self.pathSegment(conversationID))/keys" + Self.queryString(["deviceId": deviceID]))
        return body.keys
    }

    /// Reports a franked message to support with its content and franking key.
    @discardableResult
    public func reportMessage(_ conversationID: String, messageID: String, _ body: ReportRequestBody) async throws -> RawResponse {
        try await expectSuccess(
            .POST, "/api/conversations/\(Self.pathSegment(conversationID))/messages/\(Self.pathSegment(messageID))/report", body: try JSONEncoder().encode(body))
    }

    /// The server's audit key (`GET /api/audit/key`): the 32-byte Ed25519 public key that
    /// franking receipts (and audit checkpoints) verify with.
    public func auditPublicKey() async throws -> Data {
        struct KeyBody: Decodable { var publicKey: String }
        let body: KeyBody = try await call(.GET, "/api/audit/key")
        guard let key = Data(base64Encoded: body.publicKey), key.count == 32 else {
            throw E2EEError.malformedField(name: "publicKey", reason: "not standard base64 of a 32-byte Ed25519 key")
        }
        return key
    }

    /// Sends and throws `ParleyClientError` unless the answer is 2xx.
    @discardableResult
    private func expectSuccess(_ method: Method, _ path: String, body: Data?) async throws -> RawResponse {
        let response = try await raw(method, path, body: body)
        guard (200..<300).contains(response.status) else {
            throw ParleyClientError.server(status: response.status, error: response.error)
        }
        return response
    }

    /// Ids are opaque text chosen by clients (device ids, message ids) or the marketplace
    /// (user ids, conversation ids):
    /// escaped so that a `/` or `?` in one stays inside its path segment.
    static func pathSegment(_ id: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id
    }
}
