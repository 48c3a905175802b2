import Crypto
import Foundation
import ParleyCore

extension DeviceBody {
    /// The keys of a listed device, once the signing key's signature over the encryption
    /// key verifies: a record the server (or anyone between) altered is refused here,
    /// before anything is sealed to it or verified with it.
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
