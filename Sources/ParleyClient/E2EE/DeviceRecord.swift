import Crypto
import Foundation

/// One device as `GET /api/users/{userId}/devices` lists it (and, without `deviceId`, the
/// body of `PUT /api/devices/{deviceId}`): its two public keys and the signing key's
/// signature over the encryption key, all unpadded base64url.
public struct DeviceRecord: Codable, Sendable, Hashable {
    public var deviceId: String
    /// 65-byte uncompressed P-256 point: verifies the device's messages.
    public var signingKey: String
    /// 65-byte uncompressed P-256 point: epoch keys are sealed to it with HPKE.
    public var encryptionKey: String
    /// ECDSA P-256/SHA-256 by `signingKey` over the 65 bytes of `encryptionKey`, r ‖ s.
    public var signature: String

    public init(deviceId: String, signingKey: String, encryptionKey: String, signature: String) {
        self.deviceId = deviceId
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
        self.signature = signature
    }

    /// The keys, once the signature over the encryption key verifies: a record the server
    /// (or anyone between) altered is refused here, before anything is sealed to it.
    public func verifiedKeys(userID: String) throws -> DevicePublicKeys {
        let signingBytes = try E2EEBytes.decode(signingKey, field: "signingKey", length: E2EEBytes.pointLength)
        let encryptionBytes = try E2EEBytes.decode(encryptionKey, field: "encryptionKey", length: E2EEBytes.pointLength)
        let signatureBytes = try E2EEBytes.decode(signature, field: "signature", length: E2EEBytes.signatureLength)
        let keys: DevicePublicKeys
        do {
            keys = DevicePublicKeys(
                userID: userID, deviceID: deviceId,
                signingKey: try P256.Signing.PublicKey(x963Representation: signingBytes),
                encryptionKey: try P256.KeyAgreement.PublicKey(x963Representation: encryptionBytes))
        } catch {
            throw E2EEError.malformedField(name: "signingKey/encryptionKey", reason: "not a point on P-256")
        }
        guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signatureBytes),
            keys.signingKey.isValidSignature(parsed, for: encryptionBytes)
        else { throw E2EEError.badDeviceSignature(userID: userID, deviceID: deviceId) }
        return keys
    }
}

/// The body of `PUT /api/devices/{deviceId}`.
public struct DeviceRegistrationBody: Codable, Sendable, Hashable {
    public var signingKey: String
    public var encryptionKey: String
    public var signature: String

    public init(signingKey: String, encryptionKey: String, signature: String) {
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
        self.signature = signature
    }
}

/// The answer of `GET /api/users/{userId}/devices`.
public struct DeviceListBody: Codable, Sendable {
    public var devices: [DeviceRecord]

    public init(devices: [DeviceRecord]) { self.devices = devices }
}
