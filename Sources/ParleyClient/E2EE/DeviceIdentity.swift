import Crypto
import Foundation
import ParleyCore

/// This device's two key pairs, made on the device: a P-256 signing key (ECDSA/SHA-256,
/// signs messages and vouches for the encryption key) and a P-256 key-agreement key
/// (epoch keys are sealed to it with HPKE). Only the public halves ever leave it, in
/// `registration`; the private halves stay in memory, or in a file the caller names.
///
/// ```swift
/// let identity = DeviceIdentity(deviceID: "phone-1")
/// try await client.registerDevice(identity)
/// try identity.save(to: "/var/lib/app/parley-device.json") // optional, mode 0600
/// ```
public struct DeviceIdentity: Sendable {
    public let deviceID: String
    public let signingKey: P256.Signing.PrivateKey
    public let agreementKey: P256.KeyAgreement.PrivateKey

    /// A new identity with fresh keys.
    public init(deviceID: String) {
        self.init(deviceID: deviceID, signingKey: P256.Signing.PrivateKey(), agreementKey: P256.KeyAgreement.PrivateKey())
    }

    public init(deviceID: String, signingKey: P256.Signing.PrivateKey, agreementKey: P256.KeyAgreement.PrivateKey) {
        self.deviceID = deviceID
        self.signingKey = signingKey
        self.agreementKey = agreementKey
    }

    /// The 65-byte uncompressed points others see.
    public var signingKeyBytes: Data { signingKey.publicKey.x963Representation }
    public var encryptionKeyBytes: Data { agreementKey.publicKey.x963Representation }

    /// The body of `PUT /api/devices/{deviceId}`: both public keys, and the signing key's
    /// signature over the encryption key's 65 bytes (r ‖ s).
    public func registration() throws -> DeviceRegistrationBody {
        let signature = try signingKey.signature(for: encryptionKeyBytes)
        return DeviceRegistrationBody(
            signingKey: E2EEBytes.encode(signingKeyBytes), encryptionKey: E2EEBytes.encode(encryptionKeyBytes),
            signature: E2EEBytes.encode(signature.rawRepresentation))
    }

    /// This device's own public keys, as others hold them.
    public func publicKeys(userID: String) -> DevicePublicKeys {
        DevicePublicKeys(userID: userID, deviceID: deviceID, signingKey: signingKey.publicKey, encryptionKey: agreementKey.publicKey)
    }

    /// This device's safety number, to compare with what other devices show for it.
    public var safetyNumber: String { SafetyNumber.of(signingKey: signingKeyBytes, encryptionKey: encryptionKeyBytes) }

    /// ECDSA P-256/SHA-256 over `data`, as r ‖ s.
    func sign(_ data: Data) throws -> Data { try signingKey.signature(for: data).rawRepresentation }

    // MARK: Keeping it

    /// The file's JSON: the device id and both private scalars, unpadded base64url.
    struct StoredForm: Codable {
        var deviceId: String
        var signingKey: String
        var agreementKey: String
    }

    /// Writes the private keys to `path`, readable and writable by the owner only (0600),
    /// whole or not at all (`OwnerOnlyFile`).
    public func save(to path: String) throws {
        let stored = StoredForm(
            deviceId: deviceID, signingKey: E2EEBytes.encode(signingKey.rawRepresentation),
            agreementKey: E2EEBytes.encode(agreementKey.rawRepresentation))
        try OwnerOnlyFile.write(try JSONEncoder().encode(stored), to: path)
    }

    /// The identity `save(to:)` wrote.
    public static func load(from path: String) throws -> DeviceIdentity {
        let bytes = try OwnerOnlyFile.read(path)
        guard let stored = try? JSONDecoder().decode(StoredForm.self, from: bytes) else {
            throw E2EEError.keyFile(path: path, reason: "not an identity file")
        }
        do {
            return DeviceIdentity(
                deviceID: stored.deviceId,
                signingKey: try P256.Signing.PrivateKey(rawRepresentation: try E2EEBytes.decode(stored.signingKey, field: "signingKey", length: 32)),
                agreementKey: try P256.KeyAgreement.PrivateKey(
                    rawRepresentation: try E2EEBytes.decode(stored.agreementKey, field: "agreementKey", length: 32)))
        } catch {
            throw E2EEError.keyFile(path: path, reason: "its keys are malformed")
        }
    }
}
