import Crypto
import Foundation

/// Another device's public keys, parsed and with their signature checked
/// (`DeviceRecord.verifiedKeys`): what epoch keys are sealed to and messages verified with.
public struct DevicePublicKeys: Sendable {
    public var userID: String
    public var deviceID: String
    public var signingKey: P256.Signing.PublicKey
    public var encryptionKey: P256.KeyAgreement.PublicKey

    public init(userID: String, deviceID: String, signingKey: P256.Signing.PublicKey, encryptionKey: P256.KeyAgreement.PublicKey) {
        self.userID = userID
        self.deviceID = deviceID
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
    }

    /// The 65 bytes of each key, as they travel and as the safety number hashes them.
    public var signingKeyBytes: Data { signingKey.x963Representation }
    public var encryptionKeyBytes: Data { encryptionKey.x963Representation }

    /// The number both ends read aloud or compare to know they hold the same keys.
    public var safetyNumber: String { SafetyNumber.of(signingKey: signingKeyBytes, encryptionKey: encryptionKeyBytes) }

    /// Whether `other` holds exactly these keys.
    public func sameKeys(as other: DevicePublicKeys) -> Bool {
        signingKeyBytes == other.signingKeyBytes && encryptionKeyBytes == other.encryptionKeyBytes
    }
}
